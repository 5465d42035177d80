using System.Globalization;
using System.Text.Json;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// A busy shift on either fixture platform, as TaskRouter callbacks journaled and dispatched: contacts waiting,
/// answered and abandoned in every support type, and many people in each activity, so a board is as full as a
/// real one. Times are the real clock's (the pages count ages up from it).
/// </summary>
internal sealed class BoardTraffic(string platform)
{
    private static readonly string[] Names =
    [
        "Alexandra Nguyen-Whitfield", "Ben Okafor", "Chloé Dubois", "Dev Raghunathan", "Eleni Papadopoulos", "Finn O'Sullivan",
        "Grace Tui", "Hiroshi Tanaka", "Isla MacGregor", "Jamal Haddad", "Kirra Anderson", "Liam Kowalczyk", "Maya Fernandes",
        "Noah Williams", "Olivia Chen", "Priya Sharma", "Quinn Taylor", "Rosa Martínez", "Sam Walker", "Talia Cohen",
        "Uma Patel", "Vikram Singh", "Wen Li", "Xavier Brown", "Yasmin Ali", "Zoe Thompson", "Aroha Ngata", "Bella Rossi",
        "Caleb Harris", "Daisy Evans", "Ethan Wright", "Fatima Zahra", "George Mitchell", "Hannah Scott", "Ivan Petrov",
        "Jade Robinson", "Kai Nakamura", "Leah Green", "Mateo García", "Nina Ivanova",
    ];

    private readonly List<Dictionary<string, string>> _events = [];
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private int _n;
    private int _e;

    private string Account => platform == "ciss" ? TestPlatforms.CissAccount : TestPlatforms.DigiAccount;

    private string Workspace => platform == "ciss" ? TestPlatforms.CissWorkspace : TestPlatforms.DigiWorkspace;

    private string Sid(string prefix, int n) => prefix + (platform == "ciss" ? "c" : "d") + n.ToString("x31", CultureInfo.InvariantCulture);

    /// <summary>A contact of <paramref name="supportType"/> created <paramref name="agoSeconds"/> ago, still waiting.</summary>
    public BoardTraffic Waiting(string supportType, double agoSeconds)
    {
        Task(++_n, supportType, "task.created", _now - (long)(agoSeconds * 1000));
        return this;
    }

    /// <summary>The number of the last contact added (for <see cref="Canceled"/>).</summary>
    public int Last => _n;

    /// <summary>Contact <paramref name="n"/> (still waiting) is canceled now.</summary>
    public BoardTraffic Canceled(int n, string supportType)
    {
        Task(n, supportType, "task.canceled", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return this;
    }

    /// <summary>A contact answered after <paramref name="waitSeconds"/>, a few minutes ago.</summary>
    public BoardTraffic Answered(string supportType, double waitSeconds, int worker)
    {
        var n = ++_n;
        var created = _now - 300_000;
        Task(n, supportType, "task.created", created);
        var accepted = Task(n, supportType, "reservation.accepted", created + (long)(waitSeconds * 1000));
        accepted["ResourceType"] = "reservation";
        accepted["ReservationSid"] = Sid("WR", n);
        accepted["ResourceSid"] = accepted["ReservationSid"];
        accepted["WorkerSid"] = Sid("WK", worker);
        accepted["WorkerName"] = $"worker{worker}@example.org";
        accepted["WorkerAttributes"] = JsonSerializer.Serialize(new { full_name = Names[worker % Names.Length], team_name = "Team A" });
        return this;
    }

    /// <summary>A contact that gave up after <paramref name="waitSeconds"/>.</summary>
    public BoardTraffic Abandoned(string supportType, double waitSeconds)
    {
        var n = ++_n;
        var created = _now - 600_000;
        Task(n, supportType, "task.created", created);
        Task(n, supportType, "task.canceled", created + (long)(waitSeconds * 1000));
        return this;
    }

    /// <summary><paramref name="count"/> people in <paramref name="activity"/> (from worker <paramref name="first"/>), the first in it longest.</summary>
    public BoardTraffic InActivity(string activity, int first, int count)
    {
        for (var w = first; w < first + count; w++)
        {
            var fields = Common("worker.activity.update", _now - 60_000 - ((first + count - w) * 37_000L), "worker", Sid("WK", w));
            fields["WorkerSid"] = Sid("WK", w);
            fields["WorkerName"] = $"worker{w}@example.org";
            fields["WorkerAttributes"] = JsonSerializer.Serialize(new { full_name = Names[w % Names.Length], team_name = "Team A" });
            fields["WorkerActivityName"] = activity;
            fields["WorkerPreviousActivityName"] = "Offline";
            fields["WorkerTimeInPreviousActivityMs"] = "60000";
            _events.Add(fields);
        }

        return this;
    }

    /// <summary>A full board: every support type with traffic, urgent ones answered fast, people in four activities (more busy than fit in its box on any board).</summary>
    public static BoardTraffic Busy(string platform, IEnumerable<string> supportTypes)
    {
        var traffic = new BoardTraffic(platform);
        var i = 0;
        foreach (var type in supportTypes)
        {
            i++;
            for (var k = 0; k < i % 3 + 1; k++)
            {
                traffic.Waiting(type, 5 + (i * 11) + (k * 3));
            }

            for (var k = 0; k < 3 + i; k++)
            {
                traffic.Answered(type, 4 + (k * i * 7 % 90), k + i);
            }

            traffic.Abandoned(type, 20 + i);
        }

        return traffic.InActivity("Available", 0, 9).InActivity("Busy", 9, 24).InActivity("Break", 33, 4).InActivity("Unavailable", 37, 2);
    }

    public async Task DispatchAsync(LifelineHostFactory factory, CancellationToken cancellationToken)
    {
        var entries = _events.Select(fields =>
        {
            var body = TwilioTestSigner.FormBody(fields);
            var parsed = TaskRouterEventParser.ParseFormBody(body);
            return new JournalEntry(platform, parsed.Event ?? throw new InvalidOperationException("unparsable event"), JournalWireFormat.Form, body);
        }).ToList();
        var results = await factory.Journal.AppendAsync(entries);
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(results.Max(r => r.Sequence), cancellationToken);
        _events.Clear();
    }

    private Dictionary<string, string> Task(int n, string supportType, string eventType, long timeMs)
    {
        var fields = Common(eventType, timeMs, "task", Sid("WT", n));
        fields["TaskSid"] = Sid("WT", n);
        fields["TaskAttributes"] = JsonSerializer.Serialize(new { supportType });
        if (eventType != "task.created")
        {
            fields["TaskQueueSid"] = Sid("WQ", 1);
            fields["TaskQueueName"] = platform.ToUpperInvariant() + " " + supportType;
        }

        _events.Add(fields);
        return fields;
    }

    private Dictionary<string, string> Common(string type, long timeMs, string resourceType, string resourceSid) => new(StringComparer.Ordinal)
    {
        ["Sid"] = Sid("EV", ++_e),
        ["EventType"] = type,
        ["AccountSid"] = Account,
        ["WorkspaceSid"] = Workspace,
        ["ResourceType"] = resourceType,
        ["ResourceSid"] = resourceSid,
        ["TimestampMs"] = timeMs.ToString(CultureInfo.InvariantCulture),
    };
}
