using System.Text.Json;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.TaskRouterRest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LifelineRealtime.Host.Tests.TaskRouterRest;

/// <summary>
/// The engine's TaskRouter REST calls through the Twilio client against the recorded TaskRouter double, a real HTTP
/// server on loopback: credentials, paging by <c>meta.next_page_url</c>, 4xx, 5xx, 429 with <c>Retry-After</c> and
/// the <c>If-Match</c> conflict.
/// </summary>
public sealed class TwilioTaskRouterRestTests : IAsyncLifetime
{
    private const string Task = "WT000000000000000000000000d1000001";
    private const string Queue = "WQ000000000000000000000000d1000001";
    private const string ApiKey = "SK0000000000000000000000000000d161";
    private const string ApiSecret = "fake_api_key_secret_digi_0123456";

    private TaskRouterDouble _twilio = null!;

    public async ValueTask InitializeAsync() => _twilio = await TaskRouterDouble.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public async Task A_task_is_read_with_the_account_token_and_carries_its_ETag()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "wrapping", Queue);
        using var host = Build();

        var task = await Rest(host).FetchTaskAsync("digi", Task, Cancel);

        Assert.Equal(("wrapping", Queue, "\"1\""), (task.AssignmentStatus, task.TaskQueueSid, task.ETag));
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal(("GET", $"/v1/Workspaces/{TestPlatforms.DigiWorkspace}/Tasks/{Task}", TestPlatforms.DigiAccount), (request.Method, request.Path, request.User));
    }

    [Fact]
    public async Task A_platform_with_an_API_key_calls_with_the_key_not_the_auth_token()
    {
        _twilio.ApiKey(TestPlatforms.DigiAccount, ApiKey, ApiSecret).Task(TestPlatforms.DigiWorkspace, Task, "pending");
        _twilio.Revoke(TestPlatforms.DigiAccount);
        using var host = Build(s =>
        {
            s["Lifeline:Platforms:0:ApiKeySid"] = ApiKey;
            s["Lifeline:Platforms:0:ApiKeySecret"] = ApiSecret;
        });

        var task = await Rest(host).FetchTaskAsync("digi", Task, Cancel);

        Assert.Equal("pending", task.AssignmentStatus);
        Assert.Equal(ApiKey, Assert.Single(_twilio.Requests).User);
    }

    [Fact]
    public async Task Credentials_TaskRouter_does_not_accept_are_unauthorized()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "pending");
        using var host = Build(s => s["Lifeline:Platforms:0:AuthToken"] = "rotated_token_0000000000000000000");

        var failure = await Assert.ThrowsAsync<TaskRouterRestException>(() => Rest(host).FetchTaskAsync("digi", Task, Cancel));

        Assert.Equal((TaskRouterFailure.Unauthorized, 401, 20003), (failure.Failure, failure.Status, failure.Code));
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task Events_are_read_over_several_pages_by_next_page_url_never_by_page()
    {
        var resources = Fixtures.FormNames.Select(Fixtures.Text).Where(b => b.Contains(TestPlatforms.DigiWorkspace, StringComparison.Ordinal)).Select(EventResources.FromForm).ToList();
        _twilio.Events(TestPlatforms.DigiWorkspace, resources);
        using var host = Build(s => s["Lifeline:TaskRouterRest:EventsPageSize"] = "5");
        var from = DateTimeOffset.Parse("2026-11-23T22:00:00Z");

        var pages = new List<TaskRouterEventsPage>();
        await foreach (var page in Rest(host).ReadEventsAsync("digi", from, from.AddHours(3), Cancel))
        {
            pages.Add(page);
        }

        Assert.True(pages.Count >= 3, $"{resources.Count} events in pages of 5 came in {pages.Count} pages");
        Assert.Equal([.. pages.Select((_, i) => i)], pages.Select(p => p.Page));
        Assert.Equal(resources.Select(Sid).Order(StringComparer.Ordinal), pages.SelectMany(p => p.Events).Select(Sid).Order(StringComparer.Ordinal));
        Assert.All(pages.SkipLast(1), p => Assert.True(p.HasNext));
        Assert.False(pages[^1].HasNext);
        var requests = _twilio.Requests;
        Assert.Equal(pages.Count, requests.Count);
        Assert.Equal(("2026-11-23T22:00:00Z", "2026-11-24T01:00:00Z", "5"), (requests[0].Query["StartDate"], requests[0].Query["EndDate"], requests[0].Query["PageSize"]));
        Assert.All(requests.Skip(1), r => Assert.True(r.Query.ContainsKey("PageToken"), "a later page is asked by the PageToken of meta.next_page_url"));
        Assert.DoesNotContain(requests, r => r.Query.ContainsKey("Page") && !r.Query.ContainsKey("PageToken"));
    }

    [Fact]
    public async Task A_recorded_events_page_reads_as_TaskRouter_shapes_it()
    {
        using var page = JsonDocument.Parse(TaskRouterDouble.Recorded("events-page.json"));
        var recorded = page.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetRawText()).ToList();
        _twilio.Events(TestPlatforms.DigiWorkspace, recorded);
        using var host = Build();
        var from = DateTimeOffset.Parse("2026-11-23T23:00:00Z");

        var events = new List<string>();
        await foreach (var read in Rest(host).ReadEventsAsync("digi", from, from.AddMinutes(5), Cancel))
        {
            events.AddRange(read.Events);
        }

        var parsed = events.Select(e => Domain.TaskRouter.Parsing.TaskRouterEventParser.ParseEventResource(e).Event!).OrderBy(e => e.TimestampMs).ToList();
        Assert.Equal(["task.created", "reservation.created"], parsed.Select(e => e.EventType));
        Assert.All(parsed, e => Assert.Equal(TestPlatforms.DigiWorkspace, e.WorkspaceSid));
    }

    [Fact]
    public async Task A_429_is_tried_again_after_its_Retry_After()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "pending");
        _twilio.Fail($"/v1/Workspaces/{TestPlatforms.DigiWorkspace}/Tasks/", 429, retryAfter: "1");
        using var host = Build();

        var task = await Rest(host).FetchTaskAsync("digi", Task, Cancel);

        Assert.Equal("pending", task.AssignmentStatus);
        var requests = _twilio.Requests;
        Assert.Equal(2, requests.Count);
        var waited = requests[1].ArrivedAt - requests[0].ArrivedAt;
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"the second request came {waited.TotalMilliseconds} ms after a Retry-After of 1 s");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_engine_waits_ends_the_call_as_rate_limited()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "pending");
        _twilio.Fail($"/v1/Workspaces/{TestPlatforms.DigiWorkspace}/Tasks/", 429, retryAfter: "3600");
        using var host = Build();

        var failure = await Assert.ThrowsAsync<TaskRouterRestException>(() => Rest(host).FetchTaskAsync("digi", Task, Cancel));

        Assert.Equal((TaskRouterFailure.RateLimited, 429), (failure.Failure, failure.Status));
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_read_answered_5xx_is_read_again_but_a_change_answered_5xx_is_not_sent_twice()
    {
        var tasks = $"/v1/Workspaces/{TestPlatforms.DigiWorkspace}/Tasks/";
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "pending");
        using var host = Build();

        _twilio.Fail(tasks, 500);
        var read = await Rest(host).FetchTaskAsync("digi", Task, Cancel);
        Assert.Equal(["GET", "GET"], _twilio.Requests.Select(r => r.Method));

        _twilio.Fail(tasks, 500);
        var failure = await Assert.ThrowsAsync<TaskRouterRestException>(() => Rest(host).UpdateTaskAsync("digi", Task, TaskFix.Cancel, "left the queue", read.ETag!, Cancel));

        Assert.Equal((TaskRouterFailure.Unavailable, 500), (failure.Failure, failure.Status));
        Assert.Single(_twilio.Requests, r => r.Method == "POST");
        Assert.Equal("pending", _twilio.TaskNow(TestPlatforms.DigiWorkspace, Task).Status);
    }

    [Fact]
    public async Task A_fix_is_sent_with_If_Match_and_the_reason()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "wrapping");
        using var host = Build();
        var rest = Rest(host);

        var read = await rest.FetchTaskAsync("digi", Task, Cancel);
        var fixedTask = await rest.UpdateTaskAsync("digi", Task, TaskFix.Complete, "ISS closed Flex mid-wrap", read.ETag!, Cancel);

        Assert.Equal("completed", fixedTask.AssignmentStatus);
        var update = Assert.Single(_twilio.Requests, r => r.Method == "POST");
        Assert.Equal(("\"1\"", "completed", "ISS closed Flex mid-wrap"), (update.IfMatch, update.Form["AssignmentStatus"], update.Form["Reason"]));
        Assert.Equal(new TaskRouterTaskView("completed", 2, "ISS closed Flex mid-wrap"), _twilio.TaskNow(TestPlatforms.DigiWorkspace, Task));
    }

    [Fact]
    public async Task A_task_changed_since_its_ETag_was_read_is_a_conflict_and_is_not_changed()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "reserved");
        using var host = Build();
        var rest = Rest(host);
        var read = await rest.FetchTaskAsync("digi", Task, Cancel);
        _twilio.ChangeTask(TestPlatforms.DigiWorkspace, Task, "assigned");

        var failure = await Assert.ThrowsAsync<TaskRouterRestException>(() => rest.UpdateTaskAsync("digi", Task, TaskFix.Cancel, "stuck offer", read.ETag!, Cancel));

        Assert.Equal((TaskRouterFailure.Conflict, 412), (failure.Failure, failure.Status));
        Assert.Single(_twilio.Requests, r => r.Method == "POST");
        Assert.Equal("assigned", _twilio.TaskNow(TestPlatforms.DigiWorkspace, Task).Status);
    }

    [Fact]
    public async Task A_transition_TaskRouter_refuses_and_an_unknown_task_say_so()
    {
        _twilio.Task(TestPlatforms.DigiWorkspace, Task, "assigned");
        using var host = Build();
        var rest = Rest(host);

        var refused = await Assert.ThrowsAsync<TaskRouterRestException>(() => rest.UpdateTaskAsync("digi", Task, TaskFix.Cancel, "stuck", "\"1\"", Cancel));
        var unknown = await Assert.ThrowsAsync<TaskRouterRestException>(() => rest.FetchTaskAsync("digi", "WT000000000000000000000000d1009999", Cancel));

        Assert.Equal((TaskRouterFailure.Refused, 400), (refused.Failure, refused.Status));
        Assert.Contains("cannot be canceled: it is assigned", refused.Message, StringComparison.Ordinal);
        Assert.Equal((TaskRouterFailure.NotFound, 404), (unknown.Failure, unknown.Status));
    }

    [Fact]
    public async Task Queues_and_their_cumulative_statistics_are_read_for_the_period_asked()
    {
        var from = DateTimeOffset.Parse("2026-11-23T13:00:00Z");
        _twilio.Queues(TestPlatforms.DigiWorkspace, (Queue, "DIGI imminent"))
            .Statistics(TestPlatforms.DigiWorkspace, Queue, (f, t) => TaskRouterDouble.StatisticsBody(TestPlatforms.DigiWorkspace, Queue, f, t,
                new Dictionary<string, double> { ["tasks_entered"] = 12, ["reservations_timed_out"] = 2, ["wait_duration_until_accepted.total"] = 410.5 }));
        using var host = Build();
        var rest = Rest(host);

        var queues = await rest.ListQueuesAsync("digi", Cancel);
        var statistics = await rest.FetchQueueStatisticsAsync("digi", Queue, from, from.AddDays(1), Cancel);

        Assert.Equal([new TaskRouterQueue(Queue, "DIGI imminent")], queues);
        Assert.Equal((12L, 2L, 1L, 410.5), (statistics.TasksEntered, statistics.ReservationsTimedOut, statistics.ReservationsAccepted, statistics.WaitDurationUntilAcceptedTotalSeconds));
        Assert.Equal((from, from.AddDays(1)), (statistics.StartTime, statistics.EndTime));
        var asked = _twilio.Requests[^1];
        Assert.Equal(("2026-11-23T13:00:00Z", "2026-11-24T13:00:00Z"), (asked.Query["StartDate"], asked.Query["EndDate"]));
    }

    [Fact]
    public async Task Credentials_are_never_sent_to_a_host_other_than_TaskRouter()
    {
        using var host = Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(TaskRouterRestExtensions.HttpClientName);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("https://example.org/v1/Workspaces"), Cancel));

        Assert.Contains("refusing to send TaskRouter credentials", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_twilio.Requests);
    }

    [Theory]
    [InlineData("Lifeline:TaskRouterRest:BaseUrl", "http://taskrouter.example.org", "BaseUrl must be an absolute https URL")]
    [InlineData("Lifeline:TaskRouterRest:EventsPageSize", "5000", "EventsPageSize must be between 1 and 1000")]
    [InlineData("Lifeline:Platforms:0:ApiKeySid", "SK0000000000000000000000000000d161", "ApiKeySid and Lifeline:Platforms:0:ApiKeySecret go together")]
    [InlineData("Lifeline:Platforms:0:ApiKeySid", "AK0000000000000000000000000000d161", "ApiKeySid must start with SK")]
    public void Bad_settings_are_refused_at_start_naming_the_key(string key, string value, string message)
    {
        using var host = Build(s => s[key] = value);

        var refusal = Assert.ThrowsAny<Exception>(() => host.Start());

        Assert.Contains(message, refusal.Message, StringComparison.Ordinal);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Sid(string resource) => JsonDocument.Parse(resource).RootElement.GetProperty("sid").GetString()!;

    private static ITaskRouterRest Rest(IHost host) => host.Services.GetRequiredService<ITaskRouterRest>();

    private IHost Build(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = TestPlatforms.Settings(Path.Combine(Path.GetTempPath(), "unused.db"));
        _twilio.Configure(settings);
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLifelineOptions();
        builder.AddTaskRouterRest();
        return builder.Build();
    }
}
