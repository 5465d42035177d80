using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>
/// Design §7 pinned over real HTTP: the fixture story (../shared/twilio §11) ingested through the signed
/// webhook, delivered by the dispatcher, read back through every endpoint. Numbers are the hand-checked
/// ones of the story: wait 49.25 s, talk 1200 s, wrap 135.5 s, handle 1335.5 s, one RONA, one reject, and
/// a second chat abandoned after 97 s.
/// </summary>
[Collection(FixtureStoryHost.Collection)]
public sealed class ApiContractTests(FixtureStoryHost host)
{
    private const string Day = "day:2026-11-24";
    private const string DayWindow = """{"name":"day:2026-11-24","start":"2026-11-23T13:00:00Z","end":"2026-11-24T13:00:00Z","timeZone":"Australia/Sydney"}""";
    private const string NoDuration = """{"count":0,"sum":0,"avg":null,"max":null,"p50":null,"p90":null}""";
    private const string NoTraffic = $$"""
        {"offered":0,"handled":0,"abandoned":0,"reservations":0,"rejected":0,"timedOut":0,"transferred":0,
         "waitSeconds":{{NoDuration}},"abandonedWaitSeconds":{{NoDuration}},"talkSeconds":{{NoDuration}},"wrapSeconds":{{NoDuration}},"handleSeconds":{{NoDuration}},
         "shortAbandoned":0,"answeredInThreshold":0,"rejectRate":null,"timeoutRate":null,"transferRate":null,"abandonRate":null,"serviceLevel":null}
        """;

    private const string ImminentTask = """
        {"offered":1,"handled":1,"abandoned":0,"reservations":3,"rejected":1,"timedOut":1,"transferred":0,
         "waitSeconds":{"count":1,"sum":49.25,"avg":49.25,"max":49.25,"p50":49.25,"p90":49.25},
         "abandonedWaitSeconds":{"count":0,"sum":0,"avg":null,"max":null,"p50":null,"p90":null},
         "talkSeconds":{"count":1,"sum":1200,"avg":1200,"max":1200,"p50":1200,"p90":1200},
         "wrapSeconds":{"count":1,"sum":135.5,"avg":135.5,"max":135.5,"p50":135.5,"p90":135.5},
         "handleSeconds":{"count":1,"sum":1335.5,"avg":1335.5,"max":1335.5,"p50":1335.5,"p90":1335.5},
         "shortAbandoned":0,"answeredInThreshold":0,"rejectRate":0.333333,"timeoutRate":0.333333,"transferRate":0,"abandonRate":0,"serviceLevel":0}
        """;

    [Fact]
    public async Task Metrics_PlatformDayOfFixtureStory_IsTheDesignShapeWithHandCheckedNumbers()
    {
        var (status, type, body) = await host.GetAsync($"/api/platforms/digi/metrics?window={Day}");

        // offered counts the one task.created in the fixtures (the abandoned chat's creation is not among
        // them); 1 of 3 offers rejected, 1 timed out; 49.25 s wait misses imminent's 20 s service level.
        Assert.Equal((HttpStatusCode.OK, "application/json"), (status, type));
        AssertJson($$"""
            {"platform":"digi","scope":"platform","id":"digi","window":{{DayWindow}},
             "totals":{"offered":1,"handled":1,"abandoned":1,"reservations":3,"rejected":1,"timedOut":1,"transferred":0,
               "waitSeconds":{"count":1,"sum":49.25,"avg":49.25,"max":49.25,"p50":49.25,"p90":49.25},
               "abandonedWaitSeconds":{"count":1,"sum":97,"avg":97,"max":97,"p50":97,"p90":97},
               "talkSeconds":{"count":1,"sum":1200,"avg":1200,"max":1200,"p50":1200,"p90":1200},
               "wrapSeconds":{"count":1,"sum":135.5,"avg":135.5,"max":135.5,"p50":135.5,"p90":135.5},
               "handleSeconds":{"count":1,"sum":1335.5,"avg":1335.5,"max":1335.5,"p50":1335.5,"p90":1335.5},
               "shortAbandoned":0,"answeredInThreshold":0,"rejectRate":0.333333,"timeoutRate":0.333333,"transferRate":0,"abandonRate":1,"serviceLevel":0},
             "bySupportType":{
               "check_in":{{NoTraffic}},"check_out":{{NoTraffic}},"debrief":{{NoTraffic}},
               "imminent":{{ImminentTask}},
               "safety":{{NoTraffic}},
               "support":{"offered":0,"handled":0,"abandoned":1,"reservations":0,"rejected":0,"timedOut":0,"transferred":0,
                 "waitSeconds":{{NoDuration}},
                 "abandonedWaitSeconds":{"count":1,"sum":97,"avg":97,"max":97,"p50":97,"p90":97},
                 "talkSeconds":{{NoDuration}},"wrapSeconds":{{NoDuration}},"handleSeconds":{{NoDuration}},
                 "shortAbandoned":0,"answeredInThreshold":0,"rejectRate":null,"timeoutRate":null,"transferRate":null,"abandonRate":null,"serviceLevel":0} } }
            """, body);
    }

    [Fact]
    public async Task Metrics_QueueDay_IsTheImminentTaskOnly()
    {
        var (status, _, body) = await host.GetAsync($"/api/platforms/digi/queues/WQ000000000000000000000000000d1001/metrics?window={Day}");

        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson($$"""
            {"platform":"digi","scope":"queue","id":"WQ000000000000000000000000000d1001","window":{{DayWindow}},
             "totals":{{ImminentTask}},
             "bySupportType":{"check_in":{{NoTraffic}},"check_out":{{NoTraffic}},"debrief":{{NoTraffic}},"imminent":{{ImminentTask}},"safety":{{NoTraffic}},"support":{{NoTraffic}} } }
            """, body);
    }

    [Fact]
    public async Task Metrics_TeamDay_BooksReservationSideTalkFromAcceptToReservationWrapup()
    {
        var (status, _, body) = await host.GetAsync($"/api/platforms/digi/teams/Team%20A/metrics?window={Day}");

        // Team A holds Blake (RONA) and Alex (accepted): talk runs to reservation.wrapup, 50 ms after task.wrapup.
        const string teamA = """
            {"offered":0,"handled":1,"abandoned":0,"reservations":2,"rejected":0,"timedOut":1,"transferred":0,
             "waitSeconds":{"count":1,"sum":49.25,"avg":49.25,"max":49.25,"p50":49.25,"p90":49.25},
             "abandonedWaitSeconds":{"count":0,"sum":0,"avg":null,"max":null,"p50":null,"p90":null},
             "talkSeconds":{"count":1,"sum":1200.05,"avg":1200.05,"max":1200.05,"p50":1200.05,"p90":1200.05},
             "wrapSeconds":{"count":1,"sum":135.5,"avg":135.5,"max":135.5,"p50":135.5,"p90":135.5},
             "handleSeconds":{"count":1,"sum":1335.55,"avg":1335.55,"max":1335.55,"p50":1335.55,"p90":1335.55},
             "shortAbandoned":0,"answeredInThreshold":0,"rejectRate":0,"timeoutRate":0.5,"transferRate":0,"abandonRate":null,"serviceLevel":null}
            """;
        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson($$"""
            {"platform":"digi","scope":"team","id":"Team A","window":{{DayWindow}},"totals":{{teamA}},
             "bySupportType":{"check_in":{{NoTraffic}},"check_out":{{NoTraffic}},"debrief":{{NoTraffic}},"imminent":{{teamA}},"safety":{{NoTraffic}},"support":{{NoTraffic}} } }
            """, body);
    }

    [Fact]
    public async Task Metrics_WorkerWhoRejected_HasOneOfferOneRejectAndNoHandledTask()
    {
        var (status, _, body) = await host.GetAsync($"/api/platforms/digi/workers/WK0000000000000000000000000000ca5e/metrics?window={Day}");

        Assert.Equal(HttpStatusCode.OK, status);
        var totals = JsonNode.Parse(body)!["totals"]!;
        Assert.Equal(
            """{"reservations":1,"rejected":1,"handled":0,"rejectRate":1,"transferRate":null}""",
            new JsonObject
            {
                ["reservations"] = totals["reservations"]!.DeepClone(),
                ["rejected"] = totals["rejected"]!.DeepClone(),
                ["handled"] = totals["handled"]!.DeepClone(),
                ["rejectRate"] = totals["rejectRate"]!.DeepClone(),
                ["transferRate"] = totals["transferRate"]?.DeepClone(),
            }.ToJsonString());
    }

    [Fact]
    public async Task Metrics_WithoutWindow_IsTodayInThePlatformTimeZone()
    {
        var (_, _, today) = await host.GetAsync("/api/platforms/digi/metrics");
        var (_, _, day) = await host.GetAsync($"/api/platforms/digi/metrics?window={Day}");

        // The clock reads 2026-11-24 10:30 AEDT, so today is that local day.
        var todayJson = JsonNode.Parse(today)!;
        Assert.Equal("""{"name":"today","start":"2026-11-23T13:00:00Z","end":"2026-11-24T13:00:00Z","timeZone":"Australia/Sydney"}""", todayJson["window"]!.ToJsonString());
        Assert.Equal(JsonNode.Parse(day)!["totals"]!.ToJsonString(), todayJson["totals"]!.ToJsonString());
    }

    [Fact]
    public async Task LoggedStatus_Team_ListsItsWorkersWithActivitySecondsAndPercent()
    {
        var (status, _, body) = await host.GetAsync($"/api/platforms/digi/teams/Team%20A/logged-status?window={Day}");

        // Blake: 5412.318 s Available closed at 10:00:35.020, then Offline until now (10:30:00): 1764.98 s.
        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson("""
            {"activities":{"Available":{"seconds":5412.318,"percent":100},"Offline":{"seconds":1764.98,"percent":null}},"loggedInSeconds":5412.318,
             "workers":[{"workerSid":"WK000000000000000000000000000b1a6e","name":"Blake Example",
               "activities":{"Available":{"seconds":5412.318,"percent":100},"Offline":{"seconds":1764.98,"percent":null}},"loggedInSeconds":5412.318}]}
            """, body);
    }

    [Fact]
    public async Task LoggedStatus_Worker_HasNoWorkersList()
    {
        var (status, _, body) = await host.GetAsync($"/api/platforms/digi/workers/WK000000000000000000000000000b1a6e/logged-status?window={Day}");

        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson("""
            {"activities":{"Available":{"seconds":5412.318,"percent":100},"Offline":{"seconds":1764.98,"percent":null}},"loggedInSeconds":5412.318}
            """, body);
    }

    [Fact]
    public async Task Live_Platform_ShowsNoOpenTasksAndBlakeOffline()
    {
        var (status, _, body) = await host.GetAsync("/api/platforms/digi/live");

        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson("""
            {"platform":"digi","scope":"platform","id":"digi","asOf":"2026-11-23T23:30:00Z",
             "tasks":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"urgentWaiting":0,
               "bySupportType":{
                 "check_in":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"longestWaitSeconds":null,"urgent":false},
                 "check_out":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"longestWaitSeconds":null,"urgent":false},
                 "debrief":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"longestWaitSeconds":null,"urgent":false},
                 "imminent":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"longestWaitSeconds":null,"urgent":true},
                 "safety":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"longestWaitSeconds":null,"urgent":true},
                 "support":{"pending":0,"reserved":0,"assigned":0,"wrapping":0,"waiting":0,"stuck":0,"longestWaitSeconds":null,"urgent":false}}},
             "maxListed":50,"waiting":[],"waitingTotal":0,"longestWaiting":[],"longestWaitingTotal":0,
             "workers":[{"activity":"Offline","workers":1,"members":[{"workerSid":"WK000000000000000000000000000b1a6e","name":"Blake Example","team":"Team A","secondsInActivity":1764.98}]}],
             "stuck":[],"stuckTotal":0}
            """, body);
    }

    [Fact]
    public async Task Platforms_List_CarriesSettingsAndTheQueuesTeamsAndWorkersSeen()
    {
        var (status, _, body) = await host.GetAsync("/api/platforms");

        // The CISS transfer fixture names two queues (the task's and the target) and the initiating worker, but no
        // worker event or reservation of that platform carries a team attribute.
        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson("""
            [{"id":"digi","name":"DIGI Central","channel":"chat","timeZone":"Australia/Sydney",
              "supportTypes":["check_in","check_out","debrief","imminent","safety","support"],
              "thresholds":{"serviceLevel":{"higherIsBetter":true,"warn":0.8,"bad":0.6},"abandonRate":{"higherIsBetter":false,"warn":0.05,"bad":0.1},"rejectRate":{"higherIsBetter":false,"warn":0.1,"bad":0.2},"timeoutRate":{"higherIsBetter":false,"warn":0.05,"bad":0.1},"transferRate":{"higherIsBetter":false,"warn":0.15,"bad":0.3},"avgWait":{"higherIsBetter":false,"warn":60,"bad":120},"longestWait":{"higherIsBetter":false,"warn":60,"bad":120},"longestWaitBySupportType":{"imminent":{"higherIsBetter":false,"warn":15,"bad":30},"safety":{"higherIsBetter":false,"warn":30,"bad":60}}},
              "queues":["WQ000000000000000000000000000d1001","WQ000000000000000000000000000d1003"],"teams":["Team A","Team B"],
              "workers":["WK0000000000000000000000000000a1e7","WK0000000000000000000000000000ca5e","WK000000000000000000000000000b1a6e"]},
             {"id":"ciss","name":"CISS Central","channel":"voice","timeZone":"Australia/Sydney",
              "supportTypes":["check_in","check_out","debrief","imminent","safety","support"],
              "thresholds":{"serviceLevel":{"higherIsBetter":true,"warn":0.8,"bad":0.6},"abandonRate":{"higherIsBetter":false,"warn":0.05,"bad":0.1},"rejectRate":{"higherIsBetter":false,"warn":0.1,"bad":0.2},"timeoutRate":{"higherIsBetter":false,"warn":0.05,"bad":0.1},"transferRate":{"higherIsBetter":false,"warn":0.15,"bad":0.3},"avgWait":{"higherIsBetter":false,"warn":60,"bad":120},"longestWait":{"higherIsBetter":false,"warn":60,"bad":120},"longestWaitBySupportType":{"imminent":{"higherIsBetter":false,"warn":15,"bad":30},"safety":{"higherIsBetter":false,"warn":30,"bad":60}}},
              "queues":["WQ000000000000000000000000000c1002","WQ000000000000000000000000000c1003"],"teams":[],
              "workers":["WK0000000000000000000000000000d4e3"]}]
            """, body);
    }

    [Fact]
    public async Task Report_CsvByDay_HasEveryMeasureColumnAndOneLinePerDayAndSupportType()
    {
        var (status, type, body) = await host.GetAsync("/api/platforms/digi/report?from=2026-11-23&to=2026-11-24&format=csv");

        var lines = body.Split("\r\n");
        Assert.Equal((HttpStatusCode.OK, "text/csv"), (status, type));
        Assert.Equal(
            "platform,scope,id,window,start,end,timeZone,supportType,offered,handled,abandoned,reservations,rejected,timedOut,transferred,shortAbandoned,answeredInThreshold,"
            + "waitSeconds.count,waitSeconds.sum,waitSeconds.avg,waitSeconds.max,waitSeconds.p50,waitSeconds.p90,"
            + "abandonedWaitSeconds.count,abandonedWaitSeconds.sum,abandonedWaitSeconds.avg,abandonedWaitSeconds.max,abandonedWaitSeconds.p50,abandonedWaitSeconds.p90,"
            + "talkSeconds.count,talkSeconds.sum,talkSeconds.avg,talkSeconds.max,talkSeconds.p50,talkSeconds.p90,"
            + "wrapSeconds.count,wrapSeconds.sum,wrapSeconds.avg,wrapSeconds.max,wrapSeconds.p50,wrapSeconds.p90,"
            + "handleSeconds.count,handleSeconds.sum,handleSeconds.avg,handleSeconds.max,handleSeconds.p50,handleSeconds.p90,"
            + "rejectRate,timeoutRate,transferRate,abandonRate,serviceLevel",
            lines[0]);

        // Two days × (total + 6 support types), then the empty string after the last CRLF.
        Assert.Equal(1 + (2 * 7) + 1, lines.Length);
        Assert.Equal("", lines[^1]);
        Assert.Equal(
            "digi,platform,digi,day:2026-11-23,2026-11-22T13:00:00Z,2026-11-23T13:00:00Z,Australia/Sydney,total,0,0,0,0,0,0,0,0,0,"
            + "0,0,,,,,0,0,,,,,0,0,,,,,0,0,,,,,0,0,,,,,,,,,",
            lines[1]);
        Assert.Equal(
            "digi,platform,digi,day:2026-11-24,2026-11-23T13:00:00Z,2026-11-24T13:00:00Z,Australia/Sydney,imminent,1,1,0,3,1,1,0,0,0,"
            + "1,49.25,49.25,49.25,49.25,49.25,0,0,,,,,1,1200,1200,1200,1200,1200,1,135.5,135.5,135.5,135.5,135.5,1,1335.5,1335.5,1335.5,1335.5,1335.5,"
            + "0.333333,0.333333,0,0,0",
            lines[8 + 4]);
    }

    [Fact]
    public async Task Report_JsonByWeek_IsOneSnapshotPerIsoWeekClippedToFromAndTo()
    {
        var (status, type, body) = await host.GetAsync("/api/platforms/digi/teams/Team%20A/report?from=2026-11-20&to=2026-12-02&interval=week");

        var rows = JsonNode.Parse(body)!.AsArray();
        Assert.Equal((HttpStatusCode.OK, "application/json"), (status, type));
        Assert.Equal(
            ["range:2026-11-20..2026-11-22", "week:2026-W48", "range:2026-11-30..2026-12-02"],
            rows.Select(r => r!["window"]!["name"]!.GetValue<string>()));
        Assert.Equal(
            ["2026-11-19T13:00:00Z", "2026-11-22T13:00:00Z", "2026-11-29T13:00:00Z"],
            rows.Select(r => r!["window"]!["start"]!.GetValue<string>()));
        Assert.Equal([0L, 1L, 0L], rows.Select(r => r!["totals"]!["handled"]!.GetValue<long>()));
        Assert.All(rows, r => Assert.Equal("team", r!["scope"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Report_JsonByMonth_CutsThePartialMonthsWithRanges()
    {
        var (status, _, body) = await host.GetAsync("/api/platforms/digi/report?from=2026-10-15&to=2027-01-31&interval=month&format=json");

        var rows = JsonNode.Parse(body)!.AsArray();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            ["range:2026-10-15..2026-10-31", "month:2026-11", "month:2026-12", "month:2027-01"],
            rows.Select(r => r!["window"]!["name"]!.GetValue<string>()));
        Assert.Equal([0L, 1L, 0L, 0L], rows.Select(r => r!["totals"]!["offered"]!.GetValue<long>()));
    }

    /// <summary>Compares JSON text exactly (names, order, nulls and number forms) after removing layout whitespace.</summary>
    private static void AssertJson(string expected, string actual) =>
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(expected).RootElement), actual);
}
