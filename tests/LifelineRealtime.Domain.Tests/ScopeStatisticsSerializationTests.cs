using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Domain.Tests;

public sealed class ScopeStatisticsSerializationTests
{
    private const long Now = FixtureStory.T0 + 1_400_000;

    [Theory]
    [InlineData("day:2026-11-24")]
    [InlineData("1h")]
    [InlineData("15m")]
    [InlineData("month:2026-11")]
    public void WriteThenRead_EveryScope_GivesTheSameSnapshots(string window)
    {
        var fold = OfflineFold.Run(TestEvents.Digi, FixtureStory.Events());
        var resolved = MetricWindow.Parse(window).Resolve(TestEvents.Digi, Now);

        foreach (var (scope, statistics) in fold.Scopes)
        {
            var copy = RoundTrip(statistics, TestEvents.Digi);

            Assert.Equal(statistics.Snapshot(resolved), copy.Snapshot(resolved));
            Assert.Equal(statistics.LoggedStatus(resolved), copy.LoggedStatus(resolved));
            Assert.Equal(statistics.DayCount, copy.DayCount);
            Assert.Equal(statistics.OpenActivities.OrderBy(o => o.WorkerSid), copy.OpenActivities.OrderBy(o => o.WorkerSid));
            Assert.Equal(scope, copy.Scope);
        }
    }

    [Fact]
    public void WriteThenRead_CompactedDays_StayEqualAndAcceptLateSamples()
    {
        var fold = OfflineFold.Run(TestEvents.Digi, FixtureStory.Events());
        var platform = fold.Scopes[Metrics.ScopeKey.Platform("digi")];
        platform.CompactClosedDays(FixtureStory.T0 + (3 * 86_400_000L));
        var resolved = MetricWindow.Parse("day:2026-11-24").Resolve(TestEvents.Digi, Now);

        var copy = RoundTrip(platform, TestEvents.Digi);

        Assert.Equal(platform.Snapshot(resolved), copy.Snapshot(resolved));
    }

    [Fact]
    public void Read_WithSupportTypesReordered_KeepsCountsWithTheirNames()
    {
        var fold = OfflineFold.Run(TestEvents.Digi, FixtureStory.Events());
        var platform = fold.Scopes[Metrics.ScopeKey.Platform("digi")];
        var reordered = TestEvents.DigiOptions();
        reordered.SupportTypes.Reverse();
        var settings = PlatformSettings.Create(reordered);
        var resolved = MetricWindow.Parse("day:2026-11-24").Resolve(TestEvents.Digi, Now);

        var copy = RoundTrip(platform, settings).Snapshot(MetricWindow.Parse("day:2026-11-24").Resolve(settings, Now));
        var original = platform.Snapshot(resolved);

        Assert.Equal(original.BySupportType["imminent"], copy.BySupportType["imminent"]);
        Assert.Equal(original.BySupportType["support"], copy.BySupportType["support"]);
        Assert.Equal(original.Totals, copy.Totals);
    }

    [Fact]
    public void Read_UnknownVersion_Throws()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(99);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        Assert.Throws<InvalidDataException>(() => ScopeStatistics.ReadFrom(reader, Metrics.ScopeKey.Platform("digi"), TestEvents.Digi));
    }

    private static ScopeStatistics RoundTrip(ScopeStatistics statistics, PlatformSettings settings)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            statistics.WriteTo(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        return ScopeStatistics.ReadFrom(reader, statistics.Scope, settings);
    }
}
