using LifelineRealtime.Domain.Statistics;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

public sealed class WindowTests
{
    [Theory]
    [InlineData("today", "2026-11-23T13:00:00Z", "2026-11-24T13:00:00Z")]
    [InlineData("day:2026-11-24", "2026-11-23T13:00:00Z", "2026-11-24T13:00:00Z")]
    [InlineData("week:2026-W48", "2026-11-22T13:00:00Z", "2026-11-29T13:00:00Z")]
    [InlineData("month:2026-11", "2026-10-31T13:00:00Z", "2026-11-30T13:00:00Z")]
    [InlineData("month:2026-10", "2026-09-30T14:00:00Z", "2026-10-31T13:00:00Z")]
    [InlineData("range:2026-11-20..2026-11-24", "2026-11-19T13:00:00Z", "2026-11-24T13:00:00Z")]
    [InlineData("1h", "2026-11-23T22:01:00Z", "2026-11-23T23:00:30Z")]
    public void Resolve_CalendarAndRollingWindows_GivePlatformLocalBounds(string name, string start, string end)
    {
        var resolved = MetricWindow.Parse(name).Resolve(TestEvents.Digi, T0 + 30_000).ToInfo();

        Assert.Equal(name, resolved.Name);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), resolved.Start);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), resolved.End);
        Assert.Equal("Australia/Sydney", resolved.TimeZone);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5m")]
    [InlineData("day:2026-13-01")]
    [InlineData("day:24-11-2026")]
    [InlineData("week:2026-W54")]
    [InlineData("week:2026-48")]
    [InlineData("month:2026-1")]
    [InlineData("range:2026-11-24..2026-11-20")]
    [InlineData("range:2024-01-01..2026-01-01")]
    [InlineData("range:2026-11-24")]
    public void Parse_BadName_IsRejectedWithTheValueInTheMessage(string name)
    {
        var error = Assert.Throws<FormatException>(() => MetricWindow.Parse(name));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Week53_IsAcceptedOnlyInLongYears()
    {
        Assert.True(MetricWindow.TryParse("week:2026-W53", out _, out _));
        Assert.False(MetricWindow.TryParse("week:2025-W53", out _, out var error));
        Assert.Contains("week:2025-W53", error, StringComparison.Ordinal);
    }
}
