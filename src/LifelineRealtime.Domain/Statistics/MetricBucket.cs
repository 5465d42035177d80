using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Domain.Statistics;

/// <summary>
/// The totals of one minute or one local day of a scope: counts per (support type, count measure),
/// a histogram per (support type, duration measure), and milliseconds per activity. Arrays are indexed
/// by interned indices, so an update is array arithmetic with no lookup and no allocation once the
/// histogram it touches holds the sample's bin.
/// </summary>
internal sealed class MetricBucket
{
    private long[] _activityMs = new long[8];

    public MetricBucket(int supportTypes)
    {
        Counts = new long[supportTypes * Measures.CountMeasures];
        Durations = new LogHistogram?[supportTypes * Measures.DurationMeasures];
    }

    public long[] Counts { get; }

    public LogHistogram?[] Durations { get; }

    public ReadOnlySpan<long> ActivityMs => _activityMs;

    public bool Compacted { get; private set; }

    public void Add(Measure measure, int supportType, long value, int count)
    {
        if (measure.IsDuration())
        {
            var index = (supportType * Measures.DurationMeasures) + measure.DurationIndex();
            (Durations[index] ??= new LogHistogram()).Add(value, count);
        }
        else
        {
            Counts[(supportType * Measures.CountMeasures) + (int)measure] += value * count;
        }
    }

    public void AddActivity(int activity, long ms)
    {
        if (activity >= _activityMs.Length)
        {
            Array.Resize(ref _activityMs, Math.Max(activity + 1, _activityMs.Length * 2));
        }

        _activityMs[activity] += ms;
    }

    public void Clear()
    {
        Array.Clear(Counts);
        foreach (var histogram in Durations)
        {
            histogram?.Clear();
        }

        Array.Clear(_activityMs);
        Compacted = false;
    }

    public void Compact()
    {
        foreach (var histogram in Durations)
        {
            histogram?.Compact();
        }

        Compacted = true;
    }

    public void AddTo(WindowAccumulator accumulator)
    {
        for (var i = 0; i < Counts.Length; i++)
        {
            accumulator.Counts[i] += Counts[i];
        }

        for (var i = 0; i < Durations.Length; i++)
        {
            if (Durations[i] is { Count: not 0 } histogram)
            {
                histogram.AddTo(accumulator.Duration(i));
            }
        }

        accumulator.AddActivities(_activityMs);
    }
}

/// <summary>Totals of the buckets a window covers, built per query.</summary>
internal sealed class WindowAccumulator(int supportTypes)
{
    private readonly HistogramAccumulator?[] _durations = new HistogramAccumulator?[supportTypes * Measures.DurationMeasures];

    public long[] Counts { get; } = new long[supportTypes * Measures.CountMeasures];

    public long[] ActivityMs { get; private set; } = [];

    public HistogramAccumulator Duration(int index) => _durations[index] ??= new HistogramAccumulator();

    public HistogramAccumulator? DurationOrNull(int index) => _durations[index];

    public void AddActivities(ReadOnlySpan<long> activityMs)
    {
        EnsureActivities(activityMs.Length);
        for (var i = 0; i < activityMs.Length; i++)
        {
            ActivityMs[i] += activityMs[i];
        }
    }

    public void AddActivity(int activity, long ms)
    {
        EnsureActivities(activity + 1);
        ActivityMs[activity] += ms;
    }

    private void EnsureActivities(int length)
    {
        if (ActivityMs.Length < length)
        {
            var grown = new long[length];
            ActivityMs.CopyTo(grown, 0);
            ActivityMs = grown;
        }
    }
}
