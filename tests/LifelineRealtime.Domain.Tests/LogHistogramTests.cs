using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Domain.Tests;

public sealed class LogHistogramTests
{
    [Fact]
    public void Bins_AreAtMostTwoPercentOfTheirLowerEdgeWide()
    {
        var bounds = LogHistogram.LowerBounds;
        var widest = 0.0;
        for (var i = LogHistogram.ExactBins; i < bounds.Length - 1; i++)
        {
            widest = Math.Max(widest, (double)(bounds[i + 1] - 1 - bounds[i]) / bounds[i]);
        }

        Assert.True(widest <= LogHistogram.RelativeErrorBound, $"widest bin {widest}");
        Assert.Equal(1023, LogHistogram.BinOf(1023));
        Assert.Equal(0, LogHistogram.BinOf(-5));
    }

    [Fact]
    public void Add_ThenRemove_RestoresTheExactState()
    {
        var histogram = new LogHistogram();
        histogram.Add(49_250, 1);
        histogram.Add(1_200_000, 1);
        histogram.Add(1_200_000, -1);
        var accumulator = new HistogramAccumulator();
        histogram.AddTo(accumulator);

        Assert.Equal(new DurationStats(1, 49.25, 49.25, 49.25, 49.25, 49.25), accumulator.ToStats());
    }

    [Fact]
    public void Empty_HasZeroCountAndSum_AndNullStatistics() =>
        Assert.Equal(DurationStats.Empty, new HistogramAccumulator().ToStats());

    [Fact]
    public void Percentiles_BelowOnePointZeroTwoFourSeconds_AreExact()
    {
        var accumulator = new HistogramAccumulator();
        var histogram = new LogHistogram();
        for (var ms = 1; ms <= 10; ms++)
        {
            histogram.Add(ms * 100, 1);
        }

        histogram.AddTo(accumulator);

        Assert.Equal(new DurationStats(10, 5.5, 0.55, 1.0, 0.5, 0.9), accumulator.ToStats());
    }

    [Fact]
    public void Accumulators_MergedInAnyOrderAcrossFarApartBins_EqualOneHistogramOfEveryValue()
    {
        long[][] parts = [[3, 7, 900], [86_000_000, 50_000], [1_500, 2_000, 1_500], [0, 40_000_000]];
        var whole = new LogHistogram();
        foreach (var ms in parts.SelectMany(p => p))
        {
            whole.Add(ms, 1);
        }

        var expected = new HistogramAccumulator();
        whole.AddTo(expected);
        foreach (var order in new[] { new[] { 0, 1, 2, 3 }, [3, 2, 1, 0], [1, 3, 0, 2] })
        {
            var merged = new HistogramAccumulator();
            foreach (var i in order)
            {
                var part = new LogHistogram();
                foreach (var ms in parts[i])
                {
                    part.Add(ms, 1);
                }

                var partial = new HistogramAccumulator();
                part.AddTo(partial);
                merged.Add(partial);
            }

            Assert.Equal(expected.ToStats(), merged.ToStats());
            Assert.Equal(expected.Quantile(0.25), merged.Quantile(0.25));
        }

        Assert.Equal((10L, 0.0), (expected.Count, expected.Quantile(0.01)));
    }
}
