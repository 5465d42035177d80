using System.Globalization;
using System.Net;
using System.Text.Json;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>
/// A scope any event has named is a known scope: it answers every read with 200 and zeros until its first
/// measure, and <c>GET /api/platforms</c> lists it. A queue, team or worker no event ever named is 404.
/// </summary>
public sealed class KnownScopeTests : IAsyncLifetime
{
    private const long T0 = 1_795_474_800_000;
    private const string EnteredQueue = "WQ0000000000000000000000000000000a";
    private const string MovedToQueue = "WQ0000000000000000000000000000000b";
    private const string IdleWorker = "WK0000000000000000000000000000000c";
    private const string UpdatedWorker = "WK0000000000000000000000000000000d";
    private const string IdleTeam = "Night Team";
    private const string NeverSeenQueue = "WQ000000000000000000000000000000ff";
    private const string NeverSeenWorker = "WK000000000000000000000000000000ff";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly LifelineHostFactory _factory = new();
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _client = _factory.CreateClient();
        var task = "WT" + 1.ToString("x32", CultureInfo.InvariantCulture);

        // A task enters one queue and moves to another: its measures stay with the queue it entered first, so
        // the second is named only as the target of task-queue.moved. A worker is created (no activity change,
        // so no logged time) in a team no one else is in; another worker is seen only by an attributes update.
        // Neither has a reservation.
        await PostAsync(WebhookRequests.DigiTaskFields(1));
        await PostAsync(TaskFields(2, "task-queue.entered", task, EnteredQueue));
        await PostAsync(TaskFields(3, "task-queue.moved", task, MovedToQueue, previousQueue: EnteredQueue));
        await PostAsync(WorkerFields(4, "worker.created", IdleWorker, IdleTeam));
        await PostAsync(WorkerFields(5, "worker.attributes.update", UpdatedWorker, "Team A"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(_factory.Journal.HighWaterSequence, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    public static TheoryData<string> QuietScopes() =>
    [
        $"queues/{MovedToQueue}",
        $"workers/{IdleWorker}",
        $"teams/{Uri.EscapeDataString(IdleTeam)}",
        $"workers/{UpdatedWorker}",
    ];

    [Theory]
    [MemberData(nameof(QuietScopes))]
    public async Task QuietScope_NamedByAnEvent_AnswersEveryReadWith200AndZeros(string scope)
    {
        var metrics = await GetJsonAsync($"/api/platforms/digi/{scope}/metrics?window=day:2026-11-25");
        var logged = await GetJsonAsync($"/api/platforms/digi/{scope}/logged-status?window=day:2026-11-25");
        var live = await GetJsonAsync($"/api/platforms/digi/{scope}/live");
        var report = await GetJsonAsync($"/api/platforms/digi/{scope}/report?from=2026-11-24&to=2026-11-26&interval=day");

        var totals = metrics.GetProperty("totals");
        Assert.Equal((0, 0, 0), (totals.GetProperty("offered").GetInt64(), totals.GetProperty("handled").GetInt64(), totals.GetProperty("reservations").GetInt64()));
        Assert.Equal(0, live.GetProperty("tasks").GetProperty("pending").GetInt32());
        Assert.Equal(JsonValueKind.Object, logged.ValueKind);
        Assert.Equal(3, report.GetArrayLength());
        Assert.All(report.EnumerateArray(), day => Assert.Equal(0, day.GetProperty("totals").GetProperty("offered").GetInt64()));
    }

    [Fact]
    public async Task Platforms_ListEveryQueueTeamAndWorkerAnEventNamed()
    {
        var platforms = await GetJsonAsync("/api/platforms");
        var digi = platforms.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "digi");

        Assert.Equal([EnteredQueue, MovedToQueue], Strings(digi, "queues"));
        Assert.Equal(["Night Team", "Team A"], Strings(digi, "teams"));
        Assert.Equal([IdleWorker, UpdatedWorker], Strings(digi, "workers"));
    }

    [Theory]
    [InlineData("queues/" + NeverSeenQueue)]
    [InlineData("workers/" + NeverSeenWorker)]
    [InlineData("teams/Day%20Team")]
    public async Task ScopeNoEventNamed_Is404(string scope)
    {
        foreach (var read in new[] { "metrics?window=today", "logged-status?window=today", "live", "report?from=2026-11-24&to=2026-11-26&interval=day" })
        {
            using var response = await _client.GetAsync($"/api/platforms/digi/{scope}/{read}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private async Task PostAsync(Dictionary<string, string> fields)
    {
        using var request = WebhookRequests.SignedForm(fields);
        using var response = await _client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(url, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string?> Strings(JsonElement platform, string name) =>
        [.. platform.GetProperty(name).EnumerateArray().Select(e => e.GetString())];

    private static Dictionary<string, string> Base(int n, string eventType) => new(StringComparer.Ordinal)
    {
        ["Sid"] = "EV" + n.ToString("x32", CultureInfo.InvariantCulture),
        ["EventType"] = eventType,
        ["AccountSid"] = TestPlatforms.DigiAccount,
        ["WorkspaceSid"] = TestPlatforms.DigiWorkspace,
        ["TimestampMs"] = (T0 + n).ToString(CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> TaskFields(int n, string eventType, string task, string queue, string? previousQueue = null)
    {
        var fields = Base(n, eventType);
        fields["TaskSid"] = task;
        fields["TaskAttributes"] = "{\"supportType\":\"imminent\"}";
        fields["TaskQueueSid"] = queue;
        if (previousQueue is not null)
        {
            fields["PreviousTaskQueueSid"] = previousQueue;
        }

        return fields;
    }

    private static Dictionary<string, string> WorkerFields(int n, string eventType, string worker, string team)
    {
        var fields = Base(n, eventType);
        fields["WorkerSid"] = worker;
        fields["WorkerName"] = "quiet.worker@example.org";
        fields["WorkerAttributes"] = JsonSerializer.Serialize(new Dictionary<string, string> { ["full_name"] = "Quiet Worker", ["team_name"] = team });
        fields["WorkerActivityName"] = "Offline";
        return fields;
    }
}
