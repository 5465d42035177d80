using LifelineRealtime.Host.Api;

namespace LifelineRealtime.Host.Tests.Api;

public sealed class ReportPlanTests
{
    [Theory]
    [InlineData("2026-11-23", "2026-11-25", ReportInterval.Day, "day:2026-11-23 day:2026-11-24 day:2026-11-25")]
    [InlineData("2026-11-24", "2026-11-24", ReportInterval.Week, "range:2026-11-24..2026-11-24")]
    [InlineData("2026-11-23", "2026-11-29", ReportInterval.Week, "week:2026-W48")]
    [InlineData("2026-12-23", "2027-01-10", ReportInterval.Week, "range:2026-12-23..2026-12-27 week:2026-W53 week:2027-W01")]
    [InlineData("2024-12-30", "2025-01-05", ReportInterval.Week, "week:2025-W01")]
    [InlineData("2026-02-01", "2026-03-31", ReportInterval.Month, "month:2026-02 month:2026-03")]
    [InlineData("2026-02-10", "2026-02-20", ReportInterval.Month, "range:2026-02-10..2026-02-20")]
    [InlineData("2028-01-31", "2028-03-01", ReportInterval.Month, "range:2028-01-31..2028-01-31 month:2028-02 range:2028-03-01..2028-03-01")]
    public void TryCreate_Span_IsWholePeriodsWithCutEnds(string from, string to, ReportInterval interval, string expected)
    {
        Assert.True(ReportPlan.TryCreate(DateOnly.Parse(from, null), DateOnly.Parse(to, null), interval, out var windows, out _));

        Assert.Equal(expected, string.Join(' ', windows));
    }

    [Fact]
    public void TryCreate_ExactlyTheRetainedDays_IsAllowedAndOneMoreIsNot()
    {
        var from = new DateOnly(2026, 1, 1);

        Assert.True(ReportPlan.TryCreate(from, from.AddDays(399), ReportInterval.Day, out var windows, out _));
        Assert.False(ReportPlan.TryCreate(from, from.AddDays(400), ReportInterval.Day, out _, out var error));
        Assert.Equal(400, windows.Length);
        Assert.Equal("the report from 2026-01-01 to 2027-02-05 spans 401 days; at most 400 are kept", error);
    }
}
