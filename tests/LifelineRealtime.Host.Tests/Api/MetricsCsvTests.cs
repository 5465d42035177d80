using System.Collections.Immutable;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Host.Api;

namespace LifelineRealtime.Host.Tests.Api;

public sealed class MetricsCsvTests
{
    [Fact]
    public void Write_TeamNameWithCommaAndQuote_IsQuotedWithDoubledQuotes()
    {
        var values = new MetricValues(1, 0, 0, 0, 0, 0, 0,
            new DurationStats(2, 3.5, 1.75, 2.25, 1.5, 2.25), DurationStats.Empty, DurationStats.Empty, DurationStats.Empty, DurationStats.Empty,
            0, 0, null, null, null, 0.5, null);
        var snapshot = new MetricsSnapshot("ciss", "team", "Night, \"B\" shift",
            new WindowInfo("day:2026-11-24", DateTimeOffset.Parse("2026-11-23T13:00:00Z", null), DateTimeOffset.Parse("2026-11-24T13:00:00Z", null), "Australia/Sydney"),
            values, ImmutableSortedDictionary<string, MetricValues>.Empty.Add("safety", values));

        var lines = MetricsCsv.Write([snapshot]).Split("\r\n");

        Assert.Equal(MetricsCsv.Columns.Count, lines[0].Split(',').Length);
        Assert.Equal(
            "ciss,team,\"Night, \"\"B\"\" shift\",day:2026-11-24,2026-11-23T13:00:00Z,2026-11-24T13:00:00Z,Australia/Sydney,total,1,0,0,0,0,0,0,0,0,"
            + "2,3.5,1.75,2.25,1.5,2.25,0,0,,,,,0,0,,,,,0,0,,,,,0,0,,,,,,,,0.5,",
            lines[1]);
        Assert.StartsWith("ciss,team,\"Night, \"\"B\"\" shift\",day:2026-11-24,", lines[2], StringComparison.Ordinal);
        Assert.Contains(",safety,", lines[2], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
    }
}
