using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Host.Tests.Wallboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Tasks;

/// <summary><c>GET …/tasks/stuck</c> and <c>GET …/tasks/{taskSid}</c> on a fake clock: a task becomes stuck past its threshold.</summary>
public sealed class TasksApiTests
{
    private const long T0 = WallboardIngest.T0;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(LifelineHostFactory factory, string url, string? token = null)
    {
        using var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = token.Length == 0 ? null : new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task Stuck_PendingPastItsThreshold_IsListedLongestFirst_AndItsHistoryIsEveryEventInOrder()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 60_000));
        await using var factory = new LifelineHostFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(1, "task.created", T0, "support"), WallboardIngest.Fields(2, "task.created", T0 + 50_000, "imminent")], Ct);

        var (_, before) = await GetAsync(factory, "/api/platforms/digi/tasks/stuck");
        clock.Advance(TimeSpan.FromMinutes(10));
        var (status, after) = await GetAsync(factory, "/api/platforms/digi/tasks/stuck");

        Assert.Equal(0, before!["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, after!["total"]!.GetValue<int>());
        var tasks = after["tasks"]!.AsArray();
        Assert.Equal(
            [("WT" + 1.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), "pending", 660.0), ("WT" + 2.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), "pending", 610.0)],
            tasks.Select(t => (t!["taskSid"]!.GetValue<string>(), t["status"]!.GetValue<string>(), t["secondsInStatus"]!.GetValue<double>())));
        Assert.Equal("open", tasks[0]!["conversation"]!["outcome"]!.GetValue<string>());

        var task = tasks[0]!["taskSid"]!.GetValue<string>();
        var (detailStatus, detail) = await GetAsync(factory, $"/api/platforms/digi/tasks/{task}");
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        var events = detail!["events"]!.AsArray();
        Assert.Equal(("task.created", "{\"supportType\":\"support\"}"), (Assert.Single(events)!["eventType"]!.GetValue<string>(), events[0]!["taskAttributes"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Task_PerCaller_AttributesOnlyForNames_OtherTeamsWithoutTheirConversation_KioskRefused()
    {
        await using var factory = new LifelineHostFactory();
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(1, "task.created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5_000, "support")], Ct);
        var task = "WT" + 1.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
        var url = $"/api/platforms/digi/tasks/{task}";

        var (_, analyst) = await GetAsync(factory, url, TestTokens.Issue([Roles.DataAnalyst], platforms: ["digi"]));
        var (_, leader) = await GetAsync(factory, url, TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]));
        var (anonymous, _) = await GetAsync(factory, url, "");
        var (otherPlatform, _) = await GetAsync(factory, $"/api/platforms/ciss/tasks/{task}", TestTokens.Issue([Roles.FullAccess], platforms: ["digi"]));
        var (unknown, _) = await GetAsync(factory, "/api/platforms/digi/tasks/WT00000000000000000000000000000000");

        Assert.Null(analyst!["events"]![0]!["taskAttributes"]);
        Assert.True(analyst["conversation"]!["customerPseudonymous"]!.GetValue<bool>());
        Assert.Null(leader!["conversation"]);
        Assert.Null(leader["events"]![0]!["taskAttributes"]);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (anonymous, otherPlatform, unknown));
    }

    [Fact]
    public async Task Stuck_AcceptedWithNoWorkerEventSince_SaysWhyAndSinceWhen_AndAWorkerEventClearsIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 60_000));
        await using var factory = new LifelineHostFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        var created = WallboardIngest.Fields(3, "task.created", T0, "support");
        var reserved = WallboardIngest.Fields(3, "reservation.created", T0 + 10_000, "support");
        var accepted = WallboardIngest.Fields(3, "reservation.accepted", T0 + 20_000, "support");
        const string worker = "WK000000000000000000000000000000a1";
        foreach (var reservation in new[] { reserved, accepted })
        {
            reservation["ReservationSid"] = "WR" + new string('3', 32);
            reservation["WorkerSid"] = worker;
            reservation["TaskQueueSid"] = "WQ" + new string('1', 32);
            reservation["TaskAssignmentStatus"] = reservation == reserved ? "reserved" : "assigned";
        }

        await WallboardIngest.AppendAndDispatchAsync(factory, [created, reserved, accepted], Ct);

        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(40)); // exactly 30 min after the acceptance
        var (_, at) = await GetAsync(factory, "/api/platforms/digi/tasks/stuck");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var (_, past) = await GetAsync(factory, "/api/platforms/digi/tasks/stuck");
        var activity = WebhookRequests.DigiTaskFields(4, "worker.activity.update");
        activity["Sid"] = "EV" + new string('7', 32);
        activity.Remove("TaskSid");
        activity.Remove("TaskAttributes");
        activity["WorkerSid"] = worker;
        activity["WorkerActivityName"] = "Available";
        activity["TimestampMs"] = (T0 + 1_800_020).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WallboardIngest.AppendAndDispatchAsync(factory, [activity], Ct);
        var (_, after) = await GetAsync(factory, "/api/platforms/digi/tasks/stuck");

        Assert.Equal(0, at!["total"]!.GetValue<int>());
        var task = Assert.Single(past!["tasks"]!.AsArray())!;
        Assert.Equal(("assigned", "2026-11-23T23:00:20Z"), (task["status"]!.GetValue<string>(), task["since"]!.GetValue<string>()));
        var reason = Assert.Single(task["reasons"]!.AsArray())!;
        Assert.Equal(("accepted_without_worker_event", 1800.001), (reason["reason"]!.GetValue<string>(), reason["seconds"]!.GetValue<double>()));
        Assert.Equal(0, after!["total"]!.GetValue<int>());
    }
}
