using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.TaskRouterRest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Tasks;

/// <summary>
/// <c>POST …/tasks/{taskSid}/cancel|complete</c> against the TaskRouter double (a real HTTP server): what is sent
/// (If-Match on the fetched ETag, the form fields, the platform's credentials), and every answer the admin can act on.
/// </summary>
public sealed class TaskActionsApiTests
{
    private const string Digi = TestPlatforms.DigiWorkspace;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sid(int n) => "WT" + n.ToString("x32", CultureInfo.InvariantCulture);

    private static string TaskPath(string workspace, string taskSid) => $"/v1/Workspaces/{workspace}/Tasks/{taskSid}";

    private static LifelineHostFactory Host(TaskRouterDouble twilio, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null) =>
        new(settings =>
        {
            twilio.Configure(settings);
            configure?.Invoke(settings);
        }, services);

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(LifelineHostFactory factory, string platform, string taskSid, string action, string? json, string? token = null)
    {
        using var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = token.Length == 0 ? null : new AuthenticationHeaderValue("Bearer", token);
        }

        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/api/platforms/{platform}/tasks/{taskSid}/{action}", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private static string Body(string reason, string? expectedStatus = null) =>
        new JsonObject { ["reason"] = reason, ["expectedStatus"] = expectedStatus }.ToJsonString();

    private static async Task<JsonArray> AuditAsync(LifelineHostFactory factory, string action)
    {
        using var client = factory.CreateClient();
        var page = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/admin/audit?action={action}", UriKind.Relative), Ct))!;
        return page["entries"]!.AsArray();
    }

    [Fact]
    public async Task Cancel_PendingTask_SendsIfMatchOfTheFetchedETag_ReasonAndTheAuthToken_AndAnswersTaskRoutersStatus()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(1), "pending");
        await using var factory = Host(twilio);
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());

        var (status, body) = await PostAsync(factory, "digi", Sid(1), "cancel", Body("  CS hung up; the task stayed pending  ", "pending"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("cancel", "pending", "canceled", "CS hung up; the task stayed pending"),
            (body!["action"]!.GetValue<string>(), body["previousStatus"]!.GetValue<string>(), body["status"]!.GetValue<string>(), body["reason"]!.GetValue<string>()));
        Assert.Equal("sent; the list updates when TaskRouter's event arrives", body["note"]!.GetValue<string>());
        Assert.Equal(new TaskRouterTaskView("canceled", 2, "CS hung up; the task stayed pending"), twilio.TaskNow(Digi, Sid(1)));
        Assert.Equal(1, recorder.Sum("lifeline.tasks.fixes", ("platform", "digi"), ("action", "cancel"), ("outcome", "ok")));

        var requests = twilio.Requests;
        Assert.Equal([("GET", TaskPath(Digi, Sid(1))), ("POST", TaskPath(Digi, Sid(1)))], requests.Select(r => (r.Method, r.Path)));
        var update = requests[1];
        Assert.Equal("\"1\"", update.IfMatch); // the ETag TaskRouter answered the GET with (version 1)
        Assert.Equal("canceled", update.Form["AssignmentStatus"]);
        Assert.Equal("CS hung up; the task stayed pending", update.Form["Reason"]);
        Assert.All(requests, r => Assert.Equal(TestPlatforms.DigiAccount, r.User));

        var audit = Assert.Single(await AuditAsync(factory, "task.canceled"))!;
        Assert.Equal(("test-user", $"digi/{Sid(1)}", "ok"), (audit["actor"]!.GetValue<string>(), audit["target"]!.GetValue<string>(), audit["outcome"]!.GetValue<string>()));
        Assert.Contains("CS hung up; the task stayed pending", audit["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_WrappingTask_WithThePlatformsApiKey_UsesTheKeyNotTheAuthToken()
    {
        const string key = "SK0123456789abcdef0123456789abcdef";
        const string secret = "api_key_secret_digi_0123456789ab";
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.ApiKey(TestPlatforms.DigiAccount, key, secret).Task(Digi, Sid(2), "wrapping");

        // With the key configured the auth token must not be needed: TaskRouter no longer accepts it.
        twilio.Revoke(TestPlatforms.DigiAccount);
        await using var factory = Host(twilio, s =>
        {
            s["Lifeline:Platforms:0:ApiKeySid"] = key;
            s["Lifeline:Platforms:0:ApiKeySecret"] = secret;
        });

        var (status, body) = await PostAsync(factory, "digi", Sid(2), "complete", Body("ISS closed the chat; wrap-up never ended"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("wrapping", "completed"), (body!["previousStatus"]!.GetValue<string>(), body["status"]!.GetValue<string>()));
        Assert.Equal("completed", twilio.TaskNow(Digi, Sid(2)).Status);
        Assert.Equal([("GET", key), ("POST", key)], twilio.Requests.Select(r => (r.Method, r.User)));
        Assert.Equal(("completed", "\"1\""), (twilio.Requests[1].Form["AssignmentStatus"], twilio.Requests[1].IfMatch));
    }

    [Fact]
    public async Task Cancel_TaskChangedBetweenReadAndUpdate_Is409_NotRetried_AndTheTaskIsUnchanged()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(3), "reserved");

        // A worker's action lands in TaskRouter right after the engine read the task: its ETag moves on.
        await using var factory = Host(twilio, services: s => s.AddHttpClient(TaskRouterRestExtensions.HttpClientName)
            .AddHttpMessageHandler(() => new ChangeAfterRead(twilio, Digi, Sid(3))));

        var (status, body) = await PostAsync(factory, "digi", Sid(3), "cancel", Body("stuck reserved", "reserved"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(("conflict", 412), (body!["outcome"]!.GetValue<string>(), body["twilioStatus"]!.GetValue<int>()));
        Assert.Contains("changed in TaskRouter since it was read; reload and decide again", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(new TaskRouterTaskView("reserved", 2, null), twilio.TaskNow(Digi, Sid(3)));
        var post = Assert.Single(twilio.Requests, r => r.Method == "POST");
        Assert.Equal("\"1\"", post.IfMatch);
        Assert.Equal("failed", Assert.Single(await AuditAsync(factory, "task.canceled"))!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_StatusMovedSinceTheAdminConfirmed_Is409_AndNothingIsSent()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(4), "assigned");
        await using var factory = Host(twilio);

        var (status, body) = await PostAsync(factory, "digi", Sid(4), "cancel", Body("stuck reserved", "reserved"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(("assigned", "reserved"), (body!["taskRouterStatus"]!.GetValue<string>(), body["expectedStatus"]!.GetValue<string>()));
        Assert.Equal(["GET"], twilio.Requests.Select(r => r.Method));
        Assert.Equal("assigned", twilio.TaskNow(Digi, Sid(4)).Status);
    }

    [Fact]
    public async Task Cancel_TransitionTaskRouterRefuses_Is422WithTwiliosMessage()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(5), "wrapping");
        await using var factory = Host(twilio);

        var (status, body) = await PostAsync(factory, "digi", Sid(5), "cancel", Body("wrong button"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(("refused", 400, 20001), (body!["outcome"]!.GetValue<string>(), body["twilioStatus"]!.GetValue<int>(), body["twilioCode"]!.GetValue<int>()));
        Assert.Equal("TaskRouter refused to cancel the task (it is wrapping): Task cannot be canceled: it is wrapping", body["detail"]!.GetValue<string>());
        Assert.Equal("wrapping", twilio.TaskNow(Digi, Sid(5)).Status);
    }

    [Fact]
    public async Task Complete_ServerErrorOnTheUpdate_IsNotRetried_AndSaysTheChangeMayHaveBeenMade()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(6), "assigned");
        twilio.Fail(TaskPath(Digi, Sid(6)), 500, method: "POST");
        await using var factory = Host(twilio);

        var (status, body) = await PostAsync(factory, "digi", Sid(6), "complete", Body("stuck assigned"));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(("unavailable", 500), (body!["outcome"]!.GetValue<string>(), body["twilioStatus"]!.GetValue<int>()));
        Assert.Contains("may or may not have been made", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(twilio.Requests, r => r.Method == "POST");
        Assert.Equal("assigned", twilio.TaskNow(Digi, Sid(6)).Status);
    }

    [Fact]
    public async Task Cancel_RateLimitedWithRetryAfter_IsTriedAgain_AndSucceeds()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(7), "pending");
        twilio.Fail(TaskPath(Digi, Sid(7)), 429, retryAfter: "1", method: "POST");
        await using var factory = Host(twilio);

        var (status, body) = await PostAsync(factory, "digi", Sid(7), "cancel", Body("stuck pending"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("canceled", body!["status"]!.GetValue<string>());
        Assert.Equal(["GET", "POST", "POST"], twilio.Requests.Select(r => r.Method));
        Assert.All(twilio.Requests.Where(r => r.Method == "POST"), r => Assert.Equal("\"1\"", r.IfMatch));
    }

    [Fact]
    public async Task Fix_TaskRouterUnknownUnauthorizedOrRateLimited_SaysWhich_AndChangesNothing()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(8), "pending");
        twilio.Fail(TaskPath(Digi, Sid(8)), 429, times: 10, retryAfter: "0");
        twilio.Task(TestPlatforms.CissWorkspace, Sid(9), "pending");
        twilio.Revoke(TestPlatforms.CissAccount);
        await using var factory = Host(twilio, s => s["Lifeline:TaskRouterRest:MaxAttempts"] = "2");
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());

        var (unknown, unknownBody) = await PostAsync(factory, "digi", Sid(99), "cancel", Body("gone"));
        var (limited, limitedBody) = await PostAsync(factory, "digi", Sid(8), "cancel", Body("stuck"));
        var (refused, refusedBody) = await PostAsync(factory, "ciss", Sid(9), "cancel", Body("stuck"));

        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown, unknownBody!["outcome"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "rate_limited"), (limited, limitedBody!["outcome"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadGateway, "unauthorized", 401), (refused, refusedBody!["outcome"]!.GetValue<string>(), refusedBody["twilioStatus"]!.GetValue<int>()));
        Assert.DoesNotContain(twilio.Requests, r => r.Method == "POST");
        Assert.Equal("pending", twilio.TaskNow(Digi, Sid(8)).Status);
        Assert.Equal(3, (await AuditAsync(factory, "task.canceled")).Count(e => e!["outcome"]!.GetValue<string>() == "failed"));
        Assert.Equal((1, 1, 1, 3), (
            recorder.Sum("lifeline.tasks.fixes", ("platform", "digi"), ("action", "cancel"), ("outcome", "not_found")),
            recorder.Sum("lifeline.tasks.fixes", ("platform", "digi"), ("action", "cancel"), ("outcome", "rate_limited")),
            recorder.Sum("lifeline.tasks.fixes", ("platform", "ciss"), ("action", "cancel"), ("outcome", "unauthorized")),
            recorder.Sum("lifeline.tasks.fixes")));
    }

    [Fact]
    public async Task Fix_MissingOrBadReason_Is400NamingTheField_WithoutCallingTaskRouter()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(10), "pending");
        await using var factory = Host(twilio);
        (string? Json, string Field)[] bodies =
        [
            (null, "reason"), ("{}", "reason"), ("{\"reason\":null}", "reason"), ("{\"reason\":\"   \"}", "reason"), ("{\"reason\":42}", "reason"),
            ("{\"reason\":\"ok\",\"expectedStatus\":7}", "expectedStatus"), ("not json", "body"), ("[\"a reason\"]", "body"),
        ];

        var answers = new List<(HttpStatusCode, string?, bool)>();
        foreach (var (json, field) in bodies)
        {
            var (status, body) = await PostAsync(factory, "digi", Sid(10), "cancel", json);
            answers.Add((status, body?["title"]?.GetValue<string>(), body?["errors"]?[field] is not null));
        }

        Assert.Equal(bodies.Select(b => (HttpStatusCode.BadRequest, (string?)$"Bad '{b.Field}'", true)), answers);
        Assert.Empty(twilio.Requests);
        Assert.Equal("pending", twilio.TaskNow(Digi, Sid(10)).Status);
    }

    [Fact]
    public async Task Fix_ReasonLongerThan250_Is400_AndAReasonOf250IsSent()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(11), "pending");
        await using var factory = Host(twilio);

        var (tooLong, body) = await PostAsync(factory, "digi", Sid(11), "cancel", Body(new string('x', 251)));
        Assert.Empty(twilio.Requests);
        var (ok, _) = await PostAsync(factory, "digi", Sid(11), "cancel", Body(" " + new string('y', 250) + " "));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (tooLong, ok));
        Assert.Equal("reason is 251 characters long; at most 250", body!["detail"]!.GetValue<string>());
        Assert.Equal(new string('y', 250), twilio.TaskNow(Digi, Sid(11)).Reason);
    }

    [Fact]
    public async Task Fix_OnlyAnAdmin_EveryOtherRoleAndAKioskIs403Problem_Anonymous401_AndNothingIsSent()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(Digi, Sid(12), "pending");
        await using var factory = Host(twilio);
        using var admin = factory.CreateClient();
        using var issued = await admin.PostAsJsonAsync(new Uri("/api/admin/kiosk-tokens", UriKind.Relative), new { label = "wall", platformId = "digi", scope = "platform", id = "digi" }, Ct);
        var kiosk = JsonNode.Parse(await issued.Content.ReadAsStringAsync(Ct))!["token"]!.GetValue<string>();
        string[] callers =
        [
            TestTokens.Issue([Roles.FullAccess], platforms: ["digi", "ciss"]),
            TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]),
            TestTokens.Issue([Roles.DataAnalyst], platforms: ["digi"]),
            TestTokens.Issue(["agent"], platforms: ["digi"]),
            kiosk,
        ];

        var answers = new List<(HttpStatusCode, string?)>();
        var expected = new List<(HttpStatusCode, string?)>();
        foreach (var token in callers)
        {
            foreach (var action in (string[])["cancel", "complete"])
            {
                var (status, body) = await PostAsync(factory, "digi", Sid(12), action, Body("not mine to do"), token);
                answers.Add((status, body?["detail"]?.GetValue<string>()));
                expected.Add((HttpStatusCode.Forbidden, $"only lifeline.admin may {action} a task in TaskRouter"));
            }
        }

        var (anonymous, _) = await PostAsync(factory, "digi", Sid(12), "cancel", Body("anyone"), "");

        Assert.Equal(expected, answers);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Empty(twilio.Requests);
        Assert.Equal(5, (await AuditAsync(factory, "task.canceled")).Count(e => e!["outcome"]!.GetValue<string>() == "denied"));
        Assert.Equal(5, (await AuditAsync(factory, "task.completed")).Count(e => e!["outcome"]!.GetValue<string>() == "denied"));
    }

    [Fact]
    public async Task Fixes_SaysWhetherTheCallerMayFix_AndTheFixEachStatusTakes()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        await using var factory = Host(twilio);
        using var client = factory.CreateClient();

        async Task<(HttpStatusCode, JsonNode?)> Ask(string platform, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/platforms/{platform}/tasks/fixes", UriKind.Relative));
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await client.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
        }

        var (_, asAdmin) = await Ask("digi", null);
        var (leaderStatus, asLeader) = await Ask("digi", TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]));
        var (otherPlatform, _) = await Ask("ciss", TestTokens.Issue([Roles.FullAccess], platforms: ["digi"]));

        Assert.True(asAdmin!["allowed"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, leaderStatus);
        Assert.False(asLeader!["allowed"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, otherPlatform);
        Assert.Equal("""{"assigned":"complete","pending":"cancel","reserved":"cancel","wrapping":"complete"}""", asAdmin["byStatus"]!.ToJsonString());
        Assert.Equal(250, asAdmin["maxReasonLength"]!.GetValue<int>());
        Assert.StartsWith("As an admin you may cancel a pending or reserved task, complete an assigned or wrapping task, with a reason.", asAdmin["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Only lifeline.admin may cancel or complete a task.", asLeader["note"]!.GetValue<string>());
    }

    /// <summary>Moves the task on in TaskRouter as soon as the engine has read it, as a worker's action landing in between would.</summary>
    private sealed class ChangeAfterRead(TaskRouterDouble twilio, string workspace, string taskSid) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith(taskSid, StringComparison.Ordinal))
            {
                twilio.ChangeTask(workspace, taskSid);
            }

            return response;
        }
    }
}
