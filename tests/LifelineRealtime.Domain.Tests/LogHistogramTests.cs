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
}
