using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

public sealed class StatisticsTests
{
    private static readonly ScopeKey Platform = ScopeKey.Platform("digi");

    private static MeasureSample Offered(long timeMs) => new(Platform, Measure.Offered, 0, timeMs, 1);

    [Fact]
    public void RollingWindows_CountTheCurrentMinuteAndTheOnesBefore()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 30_000));
        var statistics = new ScopeStatistics(Platform, TestEvents.Digi);
        statistics.Apply(Offered(T0 + 10_000));
        statistics.Apply(Offered(T0 - (14 * 60_000)));
        statistics.Apply(Offered(T0 - (15 * 60_000)));
        statistics.Apply(Offered(T0 - (59 * 60_000)));
        statistics.Apply(Offered(T0 - (60 * 60_000)));
        long Count(MetricWindow window) => statistics.Snapshot(window.Resolve(TestEvents.Digi, clock.GetUtcNow().ToUnixTimeMilliseconds())).Totals.Offered;

        Assert.Equal(2, Count(MetricWindow.FifteenMinutes));
        Assert.Equal(4, Count(MetricWindow.OneHour));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, Count(MetricWindow.FifteenMinutes));
        Assert.Equal(3, Count(MetricWindow.OneHour));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, Count(MetricWindow.OneHour));
        Assert.Equal(5, Count(MetricWindow.Parse("day:2026-11-24")));
    }

    [Fact]
    public void CalendarWindows_SumTheirLocalDays()
    {
        const long day = 86_400_000;
        var statistics = new ScopeStatistics(Platform, TestEvents.Digi);
        // Local 2026-11-24 (Tuesday), 2026-11-29 (Sunday), 2026-11-30 (Monday, next ISO week), 2026-12-01.
        foreach (var offset in new[] { 0L, 5 * day, 6 * day, 7 * day })
        {
            statistics.Apply(Offered(T0 + offset));
        }

        long Count(string window) => statistics.Snapshot(MetricWindow.Parse(window).Resolve(TestEvents.Digi, T0)).Totals.Offered;

        Assert.Equal(2, Count("week:2026-W48"));
        Assert.Equal(2, Count("week:2026-W49"));
        Assert.Equal(3, Count("month:2026-11"));
        Assert.Equal(1, Count("month:2026-12"));
        Assert.Equal(2, Count("range:2026-11-29..2026-11-30"));
        Assert.Equal(1, Count("today"));
    }

    [Fact]
    public void NegativeDelta_RemovesASample_FromWindowsAndDays()
    {
        var statistics = new ScopeStatistics(Platform, TestEvents.Digi);
        var wait = new MeasureSample(Platform, Measure.WaitSeconds, 3, T0, 49_250);
        statistics.Apply(wait);
        statistics.Apply(new MeasureSample(Platform, Measure.WaitSeconds, 3, T0, 12_000));

        statistics.Apply(wait, -1);

        var day = statistics.Snapshot(MetricWindow.Parse("today").Resolve(TestEvents.Digi, T0)).Totals.WaitSeconds;
        var rolling = statistics.Snapshot(MetricWindow.FifteenMinutes.Resolve(TestEvents.Digi, T0)).Totals.WaitSeconds;
        Assert.Equal(new DurationStats(1, 12, 12, 12, 12, 12), day);
        Assert.Equal(day, rolling);
    }

    [Fact]
    public void CompactedDay_GivesTheSameSnapshot_AndStillAcceptsLateSamples()
    {
        var statistics = new ScopeStatistics(Platform, TestEvents.Digi);
        for (var i = 0; i < 50; i++)
        {
            statistics.Apply(new MeasureSample(Platform, Measure.TalkSeconds, i % 3, T0 + i, 1_000 + (i * 7_919)));
        }

        var window = MetricWindow.Parse("day:2026-11-24").Resolve(TestEvents.Digi, T0 + 86_400_000);
        var before = statistics.Snapshot(window);
        statistics.CompactClosedDays(T0 + 86_400_000);
        Assert.Equal(before, statistics.Snapshot(window));

        statistics.Apply(new MeasureSample(Platform, Measure.TalkSeconds, 0, T0, 5_000));
        Assert.Equal(51, statistics.Snapshot(window).Totals.TalkSeconds.Count);
    }

    [Fact]
    public void PruneExpiredDays_KeepsFourHundredDays()
    {
        var statistics = new ScopeStatistics(Platform, TestEvents.Digi);
        const long day = 86_400_000;
        statistics.Apply(Offered(T0 - (401 * day)));
        statistics.Apply(Offered(T0 - (400 * day)));
        statistics.Apply(Offered(T0));

        statistics.PruneExpiredDays(T0);

        Assert.Equal(2, statistics.DayCount);
    }

    [Fact]
    public void Settings_InvalidOptions_NameEveryBadKey()
    {
        var options = TestEvents.DigiOptions();
        options.TimeZone = "Mars/Olympus";
        options.ServiceLevelSeconds.Remove("default");
        options.SupportTypeRules.Add(new SupportTypeRuleOptions { QueueNamePattern = "no group" });
        options.SupportTypes.Add("unclassified");

        var error = Assert.Throws<ArgumentException>(() => PlatformSettings.Create(options));

        Assert.Contains("Lifeline:Platforms:digi:TimeZone 'Mars/Olympus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Lifeline:Platforms:digi:ServiceLevelSeconds:default is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Lifeline:Platforms:digi:SupportTypeRules:2:QueueNamePattern needs a capture group", error.Message, StringComparison.Ordinal);
        Assert.Contains("Lifeline:Platforms:digi:SupportTypes contains the reserved or empty value 'unclassified'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_SupportTypes_EndWithUnclassified_AndThresholdsFallBackToDefault()
    {
        var settings = TestEvents.Digi;

        Assert.Equal("unclassified", settings.SupportTypes[^1]);
        Assert.Equal(20_000, settings.ServiceLevelMs(settings.SupportTypeIndex("imminent")));
        Assert.Equal(60_000, settings.ServiceLevelMs(settings.SupportTypeIndex("debrief")));
        Assert.Equal(10_000, settings.ShortAbandonMs);
    }
}
