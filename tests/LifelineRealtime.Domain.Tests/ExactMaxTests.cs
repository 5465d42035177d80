using System.Globalization;
using CsCheck;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Domain.Tests;

/// <summary>The max people act on ("longest wait") is exact to the millisecond; only percentiles are binned.</summary>
public sealed class ExactMaxTests
{
    /// <summary>2026-11-23 00:00 AEDT.</summary>
    private const long DayStart = 1_795_352_400_000;
    private const long DayMs = 86_400_000;

    [Fact]
    public void Max_RandomDurationsAcrossRandomBucketsAndWindows_EqualsTheMaxOfTheInputsToTheMillisecond()
    {
        // A third of the samples fall in the last hour, so the rolling windows have minutes to merge.
        var offset = Gen.Frequency((2, Gen.Long[0, (3 * DayMs) - 1]), (1, Gen.Long[(3 * DayMs) - 3_600_000, (3 * DayMs) - 1]));
        var sample = Gen.Select(offset, Gen.Long[0, 3_600_000], Gen.Int[0, 6]);
        Gen.Select(sample.Array[1, 400], Gen.Int[0, 4]).Sample((samples, measureIndex) =>
        {
            var measure = (Measure)(Measures.CountMeasures + measureIndex);
            var statistics = new ScopeStatistics(ScopeKey.Platform("digi"), TestEvents.Digi);
            foreach (var (offset, value, supportType) in samples)
            {
                statistics.Apply(new MeasureSample(ScopeKey.Platform("digi"), measure, supportType, DayStart + offset, value));
            }

            var nowMs = DayStart + (3 * DayMs);
            foreach (var window in Windows())
            {
                var snapshot = statistics.Snapshot(MetricWindow.Parse(window).Resolve(TestEvents.Digi, nowMs));
                var (from, to) = (snapshot.Window.Start.ToUnixTimeMilliseconds() - DayStart, snapshot.Window.End.ToUnixTimeMilliseconds() - DayStart);
                var inWindow = samples.Where(s => s.Item1 >= from && s.Item1 < to).ToList();
                var served = Durations(snapshot, measure);
                Assert.Equal(inWindow.Count, served.Count);
                Assert.Equal(inWindow.Count == 0 ? null : inWindow.Max(s => s.Item2) / 1000.0, served.Max);
            }
        }, iter: 200);
    }

    [Fact]
    public void Max_AfterWithdrawingTheLargestValues_IsTheNextLargestExactly()
    {
        Gen.Long[1_024, 7_200_000].Array[2, 200].Select(Gen.Int[1, LogHistogram.TopCapacity - 1]).Sample((values, withdrawn) =>
        {
            var histogram = new LogHistogram();
            foreach (var value in values)
            {
                histogram.Add(value, 1);
            }

            var remaining = values.OrderDescending().ToList();
            foreach (var value in remaining.Distinct().Take(withdrawn).ToList())
            {
                histogram.Add(value, -remaining.Count(v => v == value));
                remaining.RemoveAll(v => v == value);
            }

            Assert.Equal(remaining.Count == 0 ? null : remaining.Max(), histogram.ExactMax);
        }, iter: 500);
    }

    [Fact]
    public void Max_MergedAcrossMinutesDaysAndScopes_IsTheLargestExactMax()
    {
        var a = new LogHistogram();
        var b = new LogHistogram();
        a.Add(299_300, 1);
        a.Add(1_200_005, 1);
        b.Add(1_200_004, 3);
        var merged = new HistogramAccumulator();
        a.AddTo(merged);
        b.AddTo(merged);

        // The binned estimate would read 1,199.5 s; the exact max is 1,200.005 s.
        Assert.Equal(1_200_005, merged.ExactMax);
        Assert.Equal(1200.005, merged.ToStats().Max);
    }

    [Fact]
    public void Max_OfStatisticsWrittenBeforeTheListExisted_IsTheEstimateUntilALargerValueArrives()
    {
        var histogram = new LogHistogram();
        histogram.AddStored([(LogHistogram.BinOf(299_300), 1, 299_300)], long.MinValue, null);
        Assert.Null(histogram.ExactMax);

        histogram.Add(310_000, 1);

        Assert.Equal(310_000, histogram.ExactMax);
    }

    private static IEnumerable<string> Windows()
    {
        for (var day = 0; day < 3; day++)
        {
            var date = DateTimeOffset.FromUnixTimeMilliseconds(DayStart + (day * DayMs)).ToOffset(TimeSpan.FromHours(11));
            yield return string.Create(CultureInfo.InvariantCulture, $"day:{date:yyyy-MM-dd}");
        }

        var first = DateTimeOffset.FromUnixTimeMilliseconds(DayStart).ToOffset(TimeSpan.FromHours(11));
        var last = first.AddDays(2);
        yield return string.Create(CultureInfo.InvariantCulture, $"range:{first:yyyy-MM-dd}..{last:yyyy-MM-dd}");
        yield return string.Create(CultureInfo.InvariantCulture, $"range:{first.AddDays(1):yyyy-MM-dd}..{last:yyyy-MM-dd}");

        // Minutes of the rolling ring, merged.
        yield return "1h";
        yield return "15m";
    }

    private static DurationStats Durations(Snapshots.MetricsSnapshot snapshot, Measure measure) => measure switch
    {
        Measure.WaitSeconds => snapshot.Totals.WaitSeconds,
        Measure.AbandonedWaitSeconds => snapshot.Totals.AbandonedWaitSeconds,
        Measure.TalkSeconds => snapshot.Totals.TalkSeconds,
        Measure.WrapSeconds => snapshot.Totals.WrapSeconds,
        _ => snapshot.Totals.HandleSeconds,
    };
}
