using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>Every window and date the API accepts can be computed; anything else is 400 naming the parameter, never 500.</summary>
[Collection(FixtureStoryHost.Collection)]
public sealed class WindowBoundsTests(FixtureStoryHost host)
{
    [Theory]
    [InlineData("day:0001-01-01")]
    [InlineData("day:9999-12-31")]
    [InlineData("day:1999-12-31")]
    [InlineData("day:2200-01-01")]
    [InlineData("month:9999-12")]
    [InlineData("month:0001-01")]
    [InlineData("week:9998-W52")]
    [InlineData("week:0001-W01")]
    [InlineData("range:0001-01-01..0001-01-05")]
    [InlineData("range:9999-12-25..9999-12-31")]
    public async Task Metrics_WindowOutsideTheComputableDates_Is400NamingWindow(string window)
    {
        foreach (var read in new[] { "metrics", "logged-status" })
        {
            var (status, type, body) = await host.GetAsync($"/api/platforms/digi/{read}?window={Uri.EscapeDataString(window)}");

            Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (status, type));
            var message = Assert.Single(JsonNode.Parse(body)!["errors"]!["window"]!.AsArray())!.GetValue<string>();
            Assert.Contains("outside the dates this engine computes (2000-01-01 to 2199-12-31)", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("from=0001-01-01&to=0001-01-31&interval=week", "from")]
    [InlineData("from=9999-12-01&to=9999-12-31&interval=month", "from")]
    [InlineData("from=2026-11-24&to=9999-12-31", "to")]
    [InlineData("from=1999-12-31&to=2000-01-02", "from")]
    public async Task Report_DatesOutsideTheComputableDates_Is400NamingTheParameter(string query, string parameter)
    {
        var (status, _, body) = await host.GetAsync($"/api/platforms/digi/report?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("outside the dates this engine computes", JsonNode.Parse(body)!["errors"]![parameter]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_EdgesOfTheComputableDates_Are200()
    {
        foreach (var window in new[] { "day:2000-01-01", "day:2199-12-31", "month:2199-12", "month:2000-01", "range:2199-12-01..2199-12-31" })
        {
            var (status, _, body) = await host.GetAsync($"/api/platforms/digi/metrics?window={window}");
            Assert.True(status == HttpStatusCode.OK, $"{window}: {status} {body}");
        }

        var (reportStatus, _, _) = await host.GetAsync("/api/platforms/digi/report?from=2199-12-01&to=2199-12-31&interval=week");
        Assert.Equal(HttpStatusCode.OK, reportStatus);
    }

    [Fact]
    public async Task AnyWindowOrDate_IsAnsweredWithout500()
    {
        foreach (var window in WindowStrings.Window.Array[150].Single())
        {
            var (status, _, body) = await host.GetAsync($"/api/platforms/digi/metrics?window={Uri.EscapeDataString(window)}");
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"'{window}': {status} {body}");
        }

        foreach (var dates in WindowStrings.Date.Array[2].Array[60].Single())
        {
            var (status, _, body) = await host.GetAsync($"/api/platforms/digi/report?from={Uri.EscapeDataString(dates[0])}&to={Uri.EscapeDataString(dates[1])}&interval=week");
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{dates[0]}..{dates[1]}: {status} {body}");
        }
    }
}
