namespace LifelineRealtime.Simulator.Generation;

/// <summary>
/// A duration distribution as weighted uniform segments (an empirical histogram). It gives long
/// tails without logarithms, keeping generation bit-identical across platforms.
/// </summary>
internal sealed class Durations
{
    private readonly (double Weight, long MinMs, long MaxMs)[] _segments;
    private readonly double _total;

    public Durations(params (double Weight, double MinSeconds, double MaxSeconds)[] segments)
    {
        _segments = [.. segments.Select(s => (s.Weight, (long)(s.MinSeconds * 1000), (long)(s.MaxSeconds * 1000)))];
        _total = _segments.Sum(s => s.Weight);
    }

    public long NextMs(SimulatorRandom random)
    {
        var pick = random.NextDouble() * _total;
        foreach (var (weight, min, max) in _segments)
        {
            if (pick < weight)
            {
                return random.Between(min, max + 1);
            }

            pick -= weight;
        }

        var last = _segments[^1];
        return random.Between(last.MinMs, last.MaxMs + 1);
    }
}
