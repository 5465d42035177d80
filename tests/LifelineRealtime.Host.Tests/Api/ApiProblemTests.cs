using System.Net;
using System.Text.Json.Nodes;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>Every refusal of the read API is RFC 7807 problem details naming the bad value (design §7).</summary>
[Collection(FixtureStoryHost.Collection)]
public sealed class ApiProblemTests(FixtureStoryHost host)
{
    private const string Windows = "15m, 1h, today, day:YYYY-MM-DD, week:YYYY-Www, month:YYYY-MM, range:YYYY-MM-DD..YYYY-MM-DD";

    [Theory]
    [InlineData("/api/platforms/nope/metrics")]
    [InlineData("/api/platforms/nope/logged-status")]
    [InlineData("/api/platforms/nope/live")]
    [InlineData("/api/platforms/nope/report?from=2026-11-24&to=2026-11-24")]
    [InlineData("/api/platforms/nope/teams/Team%20A/metrics")]
    [InlineData("/api/platforms/nope/queues/WQ000000000000000000000000000d1001/live")]
    public async Task AnyRead_UnknownPlatform_Is404NamingIt(string url)
    {
        var problem = await ProblemAsync(url, HttpStatusCode.NotFound);

        Assert.Equal(("Unknown platform", "platform 'nope' is not configured"), (Title(problem), Detail(problem)));
    }

    [Theory]
    [InlineData("/api/platforms/digi/teams/Team%20Z/metrics", "Unknown team", "team 'Team Z' has not been seen on platform 'digi'")]
    [InlineData("/api/platforms/digi/queues/WQ000000000000000000000000000d9999/live", "Unknown queue", "queue 'WQ000000000000000000000000000d9999' has not been seen on platform 'digi'")]
    [InlineData("/api/platforms/digi/workers/WK0000000000000000000000000000ffff/logged-status", "Unknown worker", "worker 'WK0000000000000000000000000000ffff' has not been seen on platform 'digi'")]
    [InlineData("/api/platforms/ciss/queues/WQ000000000000000000000000000d1001/metrics", "Unknown queue", "queue 'WQ000000000000000000000000000d1001' has not been seen on platform 'ciss'")]
    [InlineData("/api/platforms/digi/teams/Team%20Z/report?from=2026-11-24&to=2026-11-24", "Unknown team", "team 'Team Z' has not been seen on platform 'digi'")]
    [InlineData("/api/platforms/digi/teams/Crisis%2FNight/metrics", "Unknown team", "team 'Crisis/Night' has not been seen on platform 'digi'")]
    public async Task ScopeRead_IdNeverSeenOnThatPlatform_Is404NamingIt(string url, string title, string detail)
    {
        var problem = await ProblemAsync(url, HttpStatusCode.NotFound);

        Assert.Equal((title, detail), (Title(problem), Detail(problem)));
    }

    [Theory]
    [InlineData("/api/platforms/digi/metrics?window=yesterday", "yesterday")]
    [InlineData("/api/platforms/digi/teams/Team%20A/metrics?window=day:2026-13-01", "day:2026-13-01")]
    [InlineData("/api/platforms/digi/logged-status?window=week:2026-W54", "week:2026-W54")]
    [InlineData("/api/platforms/digi/workers/WK0000000000000000000000000000a1e7/metrics?window=", "")]
    public async Task WindowedRead_BadWindow_Is400NamingTheValueAndTheAcceptedForms(string url, string window)
    {
        var problem = await ProblemAsync(url, HttpStatusCode.BadRequest);

        var message = $"window '{window}' is not one of {Windows}";
        Assert.Equal((message, message), (Detail(problem), Error(problem, "window")));
    }

    [Fact]
    public async Task WindowedRead_RangeLongerThanRetention_Is400NamingTheLimit()
    {
        var problem = await ProblemAsync("/api/platforms/digi/metrics?window=range:2025-01-01..2026-11-24", HttpStatusCode.BadRequest);

        Assert.Equal("window 'range:2025-01-01..2026-11-24': a range may span at most 400 days", Error(problem, "window"));
    }

    [Theory]
    [InlineData("from=2026-11-1&to=2026-11-24", "from", "from '2026-11-1' is not a date of the form YYYY-MM-DD")]
    [InlineData("to=2026-11-24", "from", "from '' is not a date of the form YYYY-MM-DD")]
    [InlineData("from=2026-11-01&to=24/11/2026", "to", "to '24/11/2026' is not a date of the form YYYY-MM-DD")]
    [InlineData("from=2026-11-01&to=2026-11-24&interval=year", "interval", "interval 'year' is not one of day, week, month")]
    [InlineData("from=2026-11-01&to=2026-11-24&format=xlsx", "format", "format 'xlsx' is not one of json, csv")]
    [InlineData("from=2026-11-24&to=2026-11-01", "to", "the report from 2026-11-24 to 2026-11-01 ends before it starts")]
    [InlineData("from=2025-01-01&to=2026-11-24", "to", "the report from 2025-01-01 to 2026-11-24 spans 693 days; at most 400 are kept")]
    public async Task Report_BadParameter_Is400NamingTheValue(string query, string parameter, string message)
    {
        var problem = await ProblemAsync($"/api/platforms/digi/report?{query}", HttpStatusCode.BadRequest);

        Assert.Equal((message, message), (Detail(problem), Error(problem, parameter)));
    }

    private async Task<JsonNode> ProblemAsync(string url, HttpStatusCode expected)
    {
        var (status, type, body) = await host.GetAsync(url);
        Assert.Equal((expected, "application/problem+json"), (status, type));
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        return problem;
    }

    private static string Title(JsonNode problem) => problem["title"]!.GetValue<string>();

    private static string Detail(JsonNode problem) => problem["detail"]!.GetValue<string>();

    private static string Error(JsonNode problem, string parameter) => Assert.Single(problem["errors"]![parameter]!.AsArray())!.GetValue<string>();
}
