using CsCheck;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Domain.Tests;

/// <summary>Design §6.2 and the statistics' own invariants, over generated histories.</summary>
public sealed class PropertyTests
{
    private const long Now = GeneratedHistory.Start + (60 * 3_600_000);

    [Fact]
    public void Fold_AnyPermutationWithDuplicates_EqualsTheInOrderFold()
    {
        GeneratedHistory.Gen.Select(CsCheck.Gen.Int).Sample((history, seed) =>
        {
            var events = GeneratedHistory.Build(history.Tasks, history.Workers);
            var inOrder = GeneratedHistory.Render(OfflineFold.Run(TestEvents.Digi, events), Now);

            var scrambled = GeneratedHistory.Render(OfflineFold.Run(TestEvents.Digi, GeneratedHistory.Scramble(events, seed)), Now);

            Assert.Equal(inOrder, scrambled);
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void LiveDeltas_InAnyArrivalOrder_EqualTheOfflineFold()
    {
        GeneratedHistory.Gen.Select(CsCheck.Gen.Int).Sample((history, seed) =>
        {
            var events = GeneratedHistory.Build(history.Tasks, history.Workers);
            var fold = GeneratedHistory.Render(OfflineFold.Run(TestEvents.Digi, events), Now);

            var live = GeneratedHistory.Render(GeneratedHistory.Live(GeneratedHistory.Scramble(events, seed)), Now);

            // Live statistics may hold extra empty scopes (a sample booked then removed); compare the fold's scopes.
            foreach (var (key, json) in fold)
            {
                Assert.Equal(json, live[key]);
            }
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void LoggedInPercentages_SumToOneHundred()
    {
        GeneratedHistory.Gen.Sample(history =>
        {
            var result = OfflineFold.Run(TestEvents.Digi, GeneratedHistory.Build(history.Tasks, history.Workers));
            foreach (var statistics in result.Scopes.Values)
            {
                var status = statistics.LoggedStatus(MetricWindow.Parse("range:2026-11-23..2026-11-28").Resolve(TestEvents.Digi, Now));
                var percents = status.Activities.Values.Where(a => a.Percent is not null).Sum(a => a.Percent!.Value);
                Assert.True(status.LoggedInMs == 0 ? percents == 0 : Math.Abs(percents - 100) < 0.01, $"{statistics.Scope}: {percents}");
            }
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void RollingWindows_EqualABruteForceRecount()
    {
        var sample = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 7_200_000], CsCheck.Gen.Int[1, 5_000_000], CsCheck.Gen.Int[-1, 1]);
        CsCheck.Gen.Select(sample.Array[1, 300], CsCheck.Gen.Int[0, 3_600_000]).Sample((samples, nowOffset) =>
        {
            var scope = ScopeKey.Platform("digi");
            var statistics = new ScopeStatistics(scope, TestEvents.Digi);
            var booked = new List<(long Time, long Value)>();
            foreach (var (offset, value, sign) in samples)
            {
                var s = new MeasureSample(scope, Measure.WaitSeconds, 2, GeneratedHistory.Start + offset, value);
                // Removals only of samples booked before, as deltas guarantee.
                if (sign < 0 && booked.Remove((s.TimeMs, value)))
                {
                    statistics.Apply(s, -1);
                }
                else
                {
                    statistics.Apply(s, +1);
                    booked.Add((s.TimeMs, value));
                }
            }

            // "Now" is at or after every event time (Twilio's clock does not run ahead of ours), up to an hour later.
            var now = GeneratedHistory.Start + 7_200_000 + nowOffset;
            foreach (var window in new[] { MetricWindow.FifteenMinutes, MetricWindow.OneHour })
            {
                var resolved = window.Resolve(TestEvents.Digi, now);
                var nowMinute = now / 60_000;
                var inWindow = booked.Where(b => b.Time / 60_000 > nowMinute - window.RollingMinutes && b.Time / 60_000 <= nowMinute).ToList();

                var wait = statistics.Snapshot(resolved).Totals.WaitSeconds;

                Assert.Equal(inWindow.Count, wait.Count);
                Assert.Equal(inWindow.Sum(b => b.Value) / 1000.0, wait.Sum, 3);
            }
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void Histogram_QuantilesWithinTheStatedRelativeError_MaxExact()
    {
        CsCheck.Gen.Long[0, 50_000_000].Array[1, 500].Sample(values =>
        {
            var histogram = new LogHistogram();
            foreach (var v in values)
            {
                histogram.Add(v, 1);
            }

            var accumulator = new HistogramAccumulator();
            histogram.AddTo(accumulator);
            var sorted = values.Order().ToArray();
            Assert.Equal(sorted[^1], accumulator.ExactMax);
            foreach (var q in new[] { 0.5, 0.9, 1.0 })
            {
                var exact = sorted[(int)Math.Max(0, Math.Ceiling(q * sorted.Length) - 1)];
                var estimate = q == 1.0 ? accumulator.Max()!.Value : accumulator.Quantile(q)!.Value;
                Assert.True(Math.Abs(estimate - exact) <= (LogHistogram.RelativeErrorBound * exact) + 1e-9, $"q={q} exact={exact} estimate={estimate}");
            }

            Assert.Equal(values.Sum(), accumulator.Sum);
        }, iter: 300, threads: 1);
    }
}
