namespace LifelineRealtime.Bench.Hub;

/// <summary>Latencies in whole milliseconds up to 60 s; thread-safe, fixed memory.</summary>
internal sealed class LatencyHistogram
{
    private readonly long[] _counts = new long[60_001];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Record(double milliseconds)
    {
        var bucket = (int)Math.Clamp(Math.Round(milliseconds), 0, _counts.Length - 1);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
    }

    public double Percentile(double p)
    {
        var rank = (long)Math.Ceiling(p / 100.0 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank && seen > 0)
            {
                return i;
            }
        }

        return double.NaN;
    }
}

internal sealed record RunResult(LatencyHistogram Latency, long Messages, TimeSpan Duration, IReadOnlyList<string> Memory, long Journaled = 0)
{
    public string Describe(string name) =>
        $"{name}: {Latency.Count:N0} latency samples from {Messages:N0} messages in {Duration.TotalSeconds:F0} s; "
        + $"p50 {Latency.Percentile(50):F0} ms, p99 {Latency.Percentile(99):F0} ms, max {Latency.Percentile(100):F0} ms";
}
