using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Reconciliation;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Host.Tests.Reconciliation.ReconciliationHost;

namespace LifelineRealtime.Host.Tests.Reconciliation;

/// <summary>Reconciliation against the TaskRouter double (a real HTTP server): a simulated day posted through the webhook.</summary>
public sealed class ReconciliationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What TaskRouter says of a queue with no traffic that day.</summary>
    internal static readonly IReadOnlyDictionary<string, double> Quiet = new Dictionary<string, double>
    {
        ["tasks_entered"] = 0, ["tasks_canceled"] = 0, ["reservations_created"] = 0, ["reservations_accepted"] = 0,
        ["reservations_rejected"] = 0, ["reservations_timed_out"] = 0, ["wait_duration_until_accepted.total"] = 0,
    };

    private static string FakeQueue(int n) => "WQ" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Run_SimulatedDay_ReportsOnlyTheDifferenceBeyondTolerance_AndAFailedQueueAlone()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var logs = new CapturedLogs();
        await using var factory = new LifelineHostFactory(s => Configure(s, twilio), s => s.AddSingleton<ILoggerProvider>(logs));
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var day = SimulatedDay.Yesterday;
        var truth = await PostSimulatedDayAsync(factory, day, Ct);
        var (agree, beyond, near) = (truth[0], truth[1], truth[2]);
        var (broken, limited) = (FakeQueue(0xe1), FakeQueue(0xe2));
        var ws = TestPlatforms.DigiWorkspace;
        twilio.Queues(ws, (agree.Sid, agree.Name), (beyond.Sid, beyond.Name), (near.Sid, near.Name), (broken, "Broken queue"), (limited, "Busy queue"));
        twilio.Statistics(ws, agree.Sid, (from, to) => TaskRouterDouble.StatisticsBody(ws, agree.Sid, from, to, agree.Statistics));
        twilio.Statistics(ws, beyond.Sid, (from, to) => TaskRouterDouble.StatisticsBody(ws, beyond.Sid, from, to,
            new Dictionary<string, double>(beyond.Statistics) { ["tasks_entered"] = beyond.Statistics["tasks_entered"] + 3 }));
        twilio.Statistics(ws, near.Sid, (from, to) => TaskRouterDouble.StatisticsBody(ws, near.Sid, from, to,
            new Dictionary<string, double>(near.Statistics) { ["wait_duration_until_accepted.total"] = near.Statistics["wait_duration_until_accepted.total"] + 0.5 }));
        twilio.Statistics(ws, broken, (from, to) => TaskRouterDouble.StatisticsBody(ws, broken, from, to, Quiet));
        twilio.Statistics(ws, limited, (from, to) => TaskRouterDouble.StatisticsBody(ws, limited, from, to, Quiet));
        twilio.Fail($"/v1/Workspaces/{ws}/TaskQueues/{broken}/CumulativeStatistics", 500);
        twilio.Fail($"/v1/Workspaces/{ws}/TaskQueues/{limited}/CumulativeStatistics", 429);
        using var admin = factory.CreateClient();

        var run = await PostRunAsync(admin, "digi", day, Ct);

        Assert.Equal("partial", run["outcome"]!.GetValue<string>());
        Assert.Equal(1, run["mismatches"]!.GetValue<int>());
        Assert.All(Queue(run, agree.Sid)["measures"]!.AsArray(), m =>
        {
            Assert.True(m!["within"]!.GetValue<bool>());
            Assert.Equal(0, m["difference"]!.GetValue<double>());
            Assert.Equal(agree.Statistics[m["measure"]!.GetValue<string>()], m["theirs"]!.GetValue<double>(), 3);
        });
        var entered = Measure(Queue(run, beyond.Sid), "tasks_entered");
        Assert.Equal((false, -3.0, beyond.Statistics["tasks_entered"]), (entered["within"]!.GetValue<bool>(), entered["difference"]!.GetValue<double>(), entered["ours"]!.GetValue<double>()));
        Assert.Equal(1, Queue(run, beyond.Sid)["mismatches"]!.GetValue<int>());
        var wait = Measure(Queue(run, near.Sid), "wait_duration_until_accepted.total");
        Assert.Equal((true, -0.5), (wait["within"]!.GetValue<bool>(), wait["difference"]!.GetValue<double>()));
        Assert.Equal(0, Queue(run, near.Sid)["mismatches"]!.GetValue<int>());
        Assert.Equal(("failed", 0), (Queue(run, broken)["outcome"]!.GetValue<string>(), Queue(run, broken)["measures"]!.AsArray().Count));
        Assert.Contains("500", Queue(run, broken)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("429", Queue(run, limited)["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The period asked is the local day, [00:00, 24:00) in Sydney, in UTC.
        var (from, to) = (new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), SimulatedDay.Zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))),
            new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), SimulatedDay.Zone.GetUtcOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue))));
        Assert.All(twilio.Requests.Where(r => r.Path.EndsWith("/CumulativeStatistics", StringComparison.Ordinal)),
            r => Assert.Equal((Iso(from), Iso(to)), (r.Query["StartDate"], r.Query["EndDate"])));

        // Only the difference beyond tolerance is logged (by Sid, never a name) and counted.
        var mismatches = logs.Entries.Where(e => e.EventId == 9301).ToList();
        var logged = Assert.Single(mismatches);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains(beyond.Sid, logged.Message, StringComparison.Ordinal);
        Assert.Contains("tasks_entered", logged.Message, StringComparison.Ordinal);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId == 9302));
        Assert.Equal(1, recorder.Sum("lifeline.reconciliation.mismatches", ("platform", "digi"), ("measure", "tasks_entered")));
        Assert.Equal(1, recorder.Sum("lifeline.reconciliation.mismatches"));
        Assert.Equal(1, recorder.Sum("lifeline.reconciliation.runs", ("platform", "digi"), ("outcome", "partial")));

        // Stored: the same answer read back by date, and as the latest day.
        var stored = JsonNode.Parse(await admin.GetStringAsync(new Uri($"/api/platforms/digi/reconciliation?date={Day(day)}", UriKind.Relative), Ct))!;
        Assert.Equal(run.ToJsonString(), stored.ToJsonString());
        var index = JsonNode.Parse(await admin.GetStringAsync(new Uri("/api/platforms/digi/reconciliation", UriKind.Relative), Ct))!;
        Assert.Equal(Day(day), index["latest"]!["date"]!.GetValue<string>());
        Assert.Equal(7, index["mapping"]!.AsArray().Count);

        // Run again once TaskRouter agrees: the day's result is replaced whole.
        twilio.Statistics(ws, beyond.Sid, (f, t) => TaskRouterDouble.StatisticsBody(ws, beyond.Sid, f, t, beyond.Statistics));
        var again = await PostRunAsync(admin, "digi", day, Ct);
        Assert.Equal(("ok", 0, 5), (again["outcome"]!.GetValue<string>(), again["mismatches"]!.GetValue<int>(), again["queues"]!.AsArray().Count));
        var recent = JsonNode.Parse(await admin.GetStringAsync(new Uri("/api/platforms/digi/reconciliation", UriKind.Relative), Ct))!["recent"]!.AsArray();
        Assert.Equal(Day(day), Assert.Single(recent)!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_DayNotClosedOrBadDate_IsRefused()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        await using var factory = new LifelineHostFactory(s => Configure(s, twilio));
        using var admin = factory.CreateClient();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, SimulatedDay.Zone).DateTime);

        foreach (var body in (object[])[new { date = Day(today) }, new { date = "2026-13-01" }, new { date = Day(today.AddDays(-40)) }])
        {
            using var response = await admin.PostAsJsonAsync("/api/platforms/digi/reconciliation", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using var unknown = await admin.PostAsJsonAsync("/api/platforms/nope/reconciliation", new { date = Day(today.AddDays(-1)) }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain(twilio.Requests, r => r.Path.Contains("CumulativeStatistics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_OnlyAdminsMayReadOrRun()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        await using var factory = new LifelineHostFactory(s => Configure(s, twilio));
        var yesterday = Day(SimulatedDay.Yesterday);
        string?[] refused = [null, TestTokens.Issue([Roles.FullAccess], ["digi"]), TestTokens.Issue([Roles.DataAnalyst], ["digi"]), TestTokens.Issue([Roles.TeamLeader], ["digi"], ["Team A"])];
        foreach (var token in refused)
        {
            using var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
            var expected = token is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            using var read = await client.GetAsync(new Uri("/api/platforms/digi/reconciliation", UriKind.Relative), Ct);
            using var run = await client.PostAsJsonAsync("/api/platforms/digi/reconciliation", new { date = yesterday }, Ct);
            Assert.Equal((expected, expected), (read.StatusCode, run.StatusCode));
        }

        Assert.Empty(twilio.Requests);
        using var admin = factory.CreateClient();
        using var adminRead = await admin.GetAsync(new Uri("/api/platforms/digi/reconciliation", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, adminRead.StatusCode);
    }

    [Fact]
    public async Task Nightly_RunsAtRunAtInThePlatformsZone_ForTheDayThatClosed_NotBefore()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var zone = SimulatedDay.Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var at = (TimeOnly t) => new DateTimeOffset(today.ToDateTime(t), zone.GetUtcOffset(today.ToDateTime(t)));
        var clock = new FakeTimeProvider(at(new TimeOnly(2, 20)));
        var queue = FakeQueue(0xa1);
        twilio.Queues(TestPlatforms.DigiWorkspace, (queue, "Quiet queue"));
        twilio.Statistics(TestPlatforms.DigiWorkspace, queue, (f, t) => TaskRouterDouble.StatisticsBody(TestPlatforms.DigiWorkspace, queue, f, t, Quiet));
        await using var factory = new LifelineHostFactory(
            s =>
            {
                Configure(s, twilio);
                s["Lifeline:Reconciliation:Enabled"] = "true";
                s["Lifeline:Reconciliation:RunAt"] = "02:30";
            },
            s => s.AddSingleton<TimeProvider>(clock));
        using var _ = factory.CreateClient();
        var nightly = factory.Services.GetRequiredService<NightlyReconciliation>();
        var store = factory.Services.GetRequiredService<IReconciliationStore>();
        await nightly.Scheduled.WaitAsync(Ct);
        Assert.Equal(new ScheduledReconciliation("digi", at(new TimeOnly(2, 30)), today.AddDays(-1)), nightly.Next.Single(n => n.PlatformId == "digi"));

        clock.Advance(TimeSpan.FromSeconds(9 * 60 + 59));
        Assert.DoesNotContain(twilio.Requests, r => r.Path.EndsWith("/CumulativeStatistics", StringComparison.Ordinal));
        Assert.Null(await store.GetAsync("digi", today.AddDays(-1), Ct));

        clock.Advance(TimeSpan.FromSeconds(1));
        ReconciliationRun? run;
        while ((run = await store.GetAsync("digi", today.AddDays(-1), Ct)) is null)
        {
            await Task.Delay(20, Ct);
        }

        Assert.Equal(("ok", queue, 0), (run.Outcome, Assert.Single(run.Queues).TaskQueueSid, run.Mismatches));
        var (from, to) = Reconciler.Period(factory.Services.GetRequiredService<Domain.Platforms.PlatformCatalog>().Get("digi"), today.AddDays(-1));
        Assert.Equal(at(TimeOnly.MinValue).AddDays(-1), from);
        Assert.Equal(at(TimeOnly.MinValue), to);
        var asked = Assert.Single(twilio.Requests, r => r.Path.EndsWith("/CumulativeStatistics", StringComparison.Ordinal));
        Assert.Equal((Iso(from), Iso(to)), (asked.Query["StartDate"], asked.Query["EndDate"]));
        while (nightly.Next.Single(n => n.PlatformId == "digi").Date != today)
        {
            await Task.Delay(20, Ct);
        }
    }
}
