using System.Globalization;
using System.Text;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Bench.Api;

/// <summary>One reservation as the SQL baseline's materialised fact table holds it.</summary>
internal readonly record struct ReservationFact(
    string Team, string SupportType, long TaskCreatedMs, long CreatedMs, long? AcceptedMs, long? RejectedMs, long? WrapupMs, long? CompletedMs);

/// <summary>
/// A year of one platform as Twilio would post it: well-formed workspace-callback form bodies, parsed by the
/// product's own parser into journal entries. Tasks are spread over <see cref="Days"/> local days and every
/// team; one offer in ten is rejected before another worker accepts; workers change activity through the
/// year; the last <c>openTasks</c> tasks are created in the final hour and left waiting. Seeded.
/// </summary>
internal sealed class YearGenerator(string platformId, string account, string workspace, int teams, int workersPerTeam, int seed)
{
    public const int Days = 365;

    private static readonly string[] Types = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
    private static readonly string[] Activities = ["Available", "Break", "Meeting", "Lunch", "Offline"];

    private readonly Random _random = new(seed);
    private long _next;

    public List<ReservationFact> Facts { get; } = [];

    public static string TeamName(int team) => $"Team {team:D2}";

    public IEnumerable<List<JournalEntry>> Generate(int events, int openTasks, long firstDayStartMs, long nowMs, int batchSize)
    {
        var workers = teams * workersPerTeam;
        var activityUpdates = events / 10;
        var closedTasks = Math.Max(0, (events - activityUpdates - (openTasks * 2)) * 10 / 82);
        var batch = new List<JournalEntry>(batchSize);
        var timeline = new List<(long At, Dictionary<string, string> Fields)>(16);

        for (var t = 0; t < closedTasks; t++)
        {
            timeline.Clear();
            var day = t * Days / closedTasks;
            var created = firstDayStartMs + (day * 86_400_000L) + _random.NextInt64(80_000_000);
            AddClosedTask(timeline, t, created);
            foreach (var (_, fields) in timeline.OrderBy(e => e.At))
            {
                batch.Add(Entry(fields));
            }

            if (batch.Count >= batchSize)
            {
                yield return batch;
                batch = new List<JournalEntry>(batchSize);
            }
        }

        for (var u = 0; u < activityUpdates; u++)
        {
            var w = u % workers;
            var at = firstDayStartMs + ((long)u * Days * 86_400_000L / activityUpdates) + _random.NextInt64(3_600_000);
            batch.Add(Entry(Activity(w, at)));
            if (batch.Count >= batchSize)
            {
                yield return batch;
                batch = new List<JournalEntry>(batchSize);
            }
        }

        for (var o = 0; o < openTasks; o++)
        {
            var created = nowMs - 3_600_000 + _random.NextInt64(3_500_000);
            var type = _random.Next(Types.Length);
            var sid = Sid("WT", closedTasks + o);
            batch.Add(Entry(Task("task.created", sid, type, created, withQueue: false)));
            batch.Add(Entry(Task("task-queue.entered", sid, type, created + 50, withQueue: true)));
            if (batch.Count >= batchSize)
            {
                yield return batch;
                batch = new List<JournalEntry>(batchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private void AddClosedTask(List<(long, Dictionary<string, string>)> timeline, int t, long created)
    {
        var type = _random.Next(Types.Length);
        var sid = Sid("WT", t);
        timeline.Add((created, Task("task.created", sid, type, created, withQueue: false)));
        timeline.Add((created + 50, Task("task-queue.entered", sid, type, created + 50, withQueue: true)));
        var at = created + 2_000 + _random.NextInt64(60_000);
        var worker = _random.Next(teams * workersPerTeam);
        if (_random.Next(10) == 0)
        {
            var rejected = Sid("WR", (t * 2) + 1);
            timeline.Add((at, Reservation("reservation.created", sid, type, rejected, worker, at)));
            timeline.Add((at + 4_000, Reservation("reservation.rejected", sid, type, rejected, worker, at + 4_000)));
            Facts.Add(new ReservationFact(TeamOf(worker), Types[type], created, at, null, at + 4_000, null, null));
            at += 5_000;
            worker = (worker + 1) % (teams * workersPerTeam);
        }

        var accepted = at + 3_000 + _random.NextInt64(20_000);
        var wrapup = accepted + 60_000 + _random.NextInt64(1_800_000);
        var completed = wrapup + 10_000 + _random.NextInt64(300_000);
        var reservation = Sid("WR", t * 2);
        timeline.Add((at, Reservation("reservation.created", sid, type, reservation, worker, at)));
        timeline.Add((accepted, Reservation("reservation.accepted", sid, type, reservation, worker, accepted)));
        timeline.Add((wrapup, Task("task.wrapup", sid, type, wrapup, withQueue: true)));
        timeline.Add((wrapup + 20, Reservation("reservation.wrapup", sid, type, reservation, worker, wrapup + 20)));
        timeline.Add((completed, Task("task.completed", sid, type, completed, withQueue: true)));
        timeline.Add((completed + 20, Reservation("reservation.completed", sid, type, reservation, worker, completed + 20)));
        Facts.Add(new ReservationFact(TeamOf(worker), Types[type], created, at, accepted, null, wrapup + 20, completed + 20));
    }

    private string TeamOf(int worker) => TeamName(worker % teams);

    private Dictionary<string, string> Common(string eventType, string resourceSid, long at) => new(StringComparer.Ordinal)
    {
        ["AccountSid"] = account,
        ["WorkspaceSid"] = workspace,
        ["Sid"] = Sid("EV", _next++),
        ["EventType"] = eventType,
        ["ResourceType"] = eventType[..eventType.IndexOf('.', StringComparison.Ordinal)].Replace("task-queue", "taskqueue", StringComparison.Ordinal),
        ["ResourceSid"] = resourceSid,
        ["TimestampMs"] = at.ToString(CultureInfo.InvariantCulture),
    };

    private Dictionary<string, string> Task(string eventType, string taskSid, int type, long at, bool withQueue)
    {
        var fields = Common(eventType, taskSid, at);
        fields["TaskSid"] = taskSid;
        fields["TaskAttributes"] = $"{{\"supportType\":\"{Types[type]}\",\"channelType\":\"voice\"}}";
        if (withQueue)
        {
            fields["TaskQueueSid"] = Sid("WQ", type);
            fields["TaskQueueName"] = $"{platformId} {Types[type]}";
        }

        return fields;
    }

    private Dictionary<string, string> Reservation(string eventType, string taskSid, int type, string reservationSid, int worker, long at)
    {
        var fields = Task(eventType, taskSid, type, at, withQueue: true);
        fields["ResourceType"] = "reservation";
        fields["ResourceSid"] = reservationSid;
        fields["ReservationSid"] = reservationSid;
        AddWorker(fields, worker);
        return fields;
    }

    private Dictionary<string, string> Activity(int worker, long at)
    {
        var fields = Common("worker.activity.update", Sid("WK", worker), at);
        AddWorker(fields, worker);
        var previous = Activities[_random.Next(Activities.Length)];
        var current = Activities[_random.Next(Activities.Length)];
        fields["WorkerActivityName"] = current;
        fields["WorkerPreviousActivityName"] = previous;
        fields["WorkerTimeInPreviousActivityMs"] = (60_000 + _random.NextInt64(3_600_000)).ToString(CultureInfo.InvariantCulture);
        return fields;
    }

    private void AddWorker(Dictionary<string, string> fields, int worker)
    {
        fields["WorkerSid"] = Sid("WK", worker);
        fields["WorkerName"] = $"worker{worker}@example.org";
        fields["WorkerAttributes"] = $"{{\"team_name\":\"{TeamOf(worker)}\",\"full_name\":\"Worker {worker}\"}}";
    }

    private static string Sid(string prefix, long n) => prefix + n.ToString("x32", CultureInfo.InvariantCulture);

    private JournalEntry Entry(Dictionary<string, string> fields)
    {
        var body = new StringBuilder();
        foreach (var (key, value) in fields)
        {
            body.Append(body.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        var text = body.ToString();
        var parsed = TaskRouterEventParser.ParseFormBody(text);
        return new JournalEntry(platformId, parsed.Event ?? throw new InvalidOperationException($"generated {fields["EventType"]} does not parse"), JournalWireFormat.Form, text);
    }
}
