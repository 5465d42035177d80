using System.Net;
using System.Text.Json.Nodes;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary><c>GET {platform}/workers/{sid}/timeline</c> over the fixture story, on the story's clock (10:30 AEDT).</summary>
[Collection(FixtureStoryHost.Collection)]
public sealed class WorkerTimelineApiTests(FixtureStoryHost host)
{
    private const string Blake = "/api/platforms/digi/workers/WK000000000000000000000000000b1a6e";

    [Fact]
    public async Task Timeline_Today_IsTheActivitiesInTimeOrder_TheCurrentOneRunningToNow()
    {
        var (status, _, body) = await host.GetAsync($"{Blake}/timeline?window=today");

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal(("digi", "WK000000000000000000000000000b1a6e", "today", "2026-11-23T13:00:00Z", "2026-11-23T23:30:00Z"), (
            answer["platform"]!.GetValue<string>(), answer["workerSid"]!.GetValue<string>(), answer["window"]!["name"]!.GetValue<string>(),
            answer["window"]!["start"]!.GetValue<string>(), answer["asOf"]!.GetValue<string>()));
        // The one activity update (10:00:35.020 AEDT) closed 5,412.318 s of Available and opened Offline.
        var segments = answer["segments"]!.AsArray().Select(s => (
            s!["activity"]!.GetValue<string>(), s["team"]!.GetValue<string>(), s["start"]!.GetValue<string>(), s["end"]!.GetValue<string>(),
            s["seconds"]!.GetValue<double>(), s["open"]!.GetValue<bool>())).ToList();
        Assert.Equal(
            [
                ("Available", "Team A", "2026-11-23T21:30:22.702Z", "2026-11-23T23:00:35.02Z", 5_412.318, false),
                ("Offline", "Team A", "2026-11-23T23:00:35.02Z", "2026-11-23T23:30:00Z", 1_764.98, true),
            ],
            segments);
    }

    [Fact]
    public async Task Timeline_Last15Minutes_IsCutToTheWindow()
    {
        var (status, _, body) = await host.GetAsync($"{Blake}/timeline?window=15m");

        Assert.Equal(HttpStatusCode.OK, status);
        var segment = Assert.Single(JsonNode.Parse(body)!["segments"]!.AsArray())!;
        // 15m = the current minute and the 14 before it: from 10:16 to 10:30.
        Assert.Equal(("Offline", "2026-11-23T23:16:00Z", 840.0, true), (segment["activity"]!.GetValue<string>(), segment["start"]!.GetValue<string>(), segment["seconds"]!.GetValue<double>(), segment["open"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("day:2026-11-21", "window 'day:2026-11-21' starts more than 48 hours ago: an agent's activity timeline is kept that long (older activity is in logged-status)")]
    [InlineData("month:2026-11", "window 'month:2026-11' starts more than 48 hours ago: an agent's activity timeline is kept that long (older activity is in logged-status)")]
    [InlineData("yesterday", "window 'yesterday' is not one of 15m, 1h, today, day:YYYY-MM-DD, week:YYYY-Www, month:YYYY-MM, range:YYYY-MM-DD..YYYY-MM-DD")]
    public async Task Timeline_WindowNotHeldOrBad_Is400NamingIt(string window, string detail)
    {
        var (status, _, body) = await host.GetAsync($"{Blake}/timeline?window={window}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(detail, JsonNode.Parse(body)!["errors"]!["window"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Timeline_Yesterday_IsHeld()
    {
        var (status, _, body) = await host.GetAsync($"{Blake}/timeline?window=day:2026-11-23");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(JsonNode.Parse(body)!["segments"]!.AsArray());
    }

    [Fact]
    public async Task Timeline_WorkerNeverSeen_Is404()
    {
        var (status, _, _) = await host.GetAsync("/api/platforms/digi/workers/WK0000000000000000000000000000ffff/timeline");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
