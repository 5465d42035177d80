namespace LifelineRealtime.Domain.Statistics;

/// <summary>
/// A mergeable, invertible log-scale histogram of durations in integer milliseconds. Bins are fixed for
/// the whole process: one per millisecond below <see cref="ExactBins"/> ms, then bins whose width is at
/// most <see cref="RelativeErrorBound"/> (2 %) of their lower edge (γ = 1.02), up to 2^42 ms. Every bin
/// keeps its sample count and the integer sum of its samples, so removing a sample (a negative delta)
/// restores the exact previous state and the result never depends on the order of updates.
/// <para>
/// Error: max and percentiles are reported as the mean of the bin holding them. Both that mean and the
/// true value lie in the same bin, so the reported value is exact below 1.024 s and otherwise within
/// 2 % of the true value (|reported − true| ≤ 0.02 × true). Count, sum and average are exact.
/// </para>
/// Storage is sparse: the occupied bins, sorted, with their counts and sums, in arrays that grow by
/// doubling and are kept (emptied, not freed) by <see cref="Clear"/>, so a minute slot reused by the
/// rolling ring allocates nothing. A bin whose count returns to 0 keeps its place, so removing and
/// re-adding a sample never shifts the arrays. <see cref="Compact"/> trims a closed day to its occupied bins.
/// </summary>
public sealed class LogHistogram
{
    public const int ExactBins = 1024;
    public const double Gamma = 1.02;
    public const double RelativeErrorBound = Gamma - 1;
    private static readonly double InverseLogGamma = 1 / Math.Log(Gamma);

    /// <summary>Lower edge (inclusive, ms) of every bin; bin i holds [LowerBounds[i], LowerBounds[i + 1]).</summary>
    internal static readonly long[] LowerBounds = BuildBounds();

    private int[] _bins = [];
    private long[] _counts = [];
    private long[] _sums = [];
    private int _length;

    public static int BinCount { get; } = LowerBounds.Length;

    public long Count { get; private set; }

    public long Sum { get; private set; }

    /// <summary>Occupied bins held.</summary>
    public int BinsHeld => _length;

    /// <summary>The bin of a duration; negative durations count as 0.</summary>
    public static int BinOf(long ms)
    {
        if (ms < ExactBins)
        {
            return ms < 0 ? 0 : (int)ms;
        }

        // Estimate from the logarithm, then settle on the table, which alone defines the bins (so the
        // floating-point estimate can never change which bin a value falls in).
        var bin = Math.Min(ExactBins + (int)(Math.Log(ms / (double)ExactBins) * InverseLogGamma), LowerBounds.Length - 1);
        while (bin > ExactBins && LowerBounds[bin] > ms)
        {
            bin--;
        }

        while (bin < LowerBounds.Length - 1 && LowerBounds[bin + 1] <= ms)
        {
            bin++;
        }

        return bin;
    }

    /// <summary>Adds (<paramref name="count"/> &gt; 0) or removes (&lt; 0) samples of one value.</summary>
    public void Add(long ms, int count)
    {
        var index = SlotOf(BinOf(ms));
        _counts[index] += count;
        _sums[index] += ms * count;
        Count += count;
        Sum += ms * count;
    }

    /// <summary>Adds a whole bin (count and integer-ms sum), as read back from storage.</summary>
    internal void AddBin(int bin, long count, long sum)
    {
        var index = SlotOf(bin);
        _counts[index] += count;
        _sums[index] += sum;
        Count += count;
        Sum += sum;
    }

    /// <summary>Every bin held, in bin order, with its count and sum.</summary>
    internal void ForEachBin(Action<int, long, long> action)
    {
        for (var i = 0; i < _length; i++)
        {
            action(_bins[i], _counts[i], _sums[i]);
        }
    }

    /// <summary>The index of <paramref name="bin"/> in the sorted arrays, inserting it (empty) when absent.</summary>
    private int SlotOf(int bin)
    {
        var index = _bins.AsSpan(0, _length).BinarySearch(bin);
        if (index >= 0)
        {
            return index;
        }

        index = ~index;
        if (_length == _bins.Length)
        {
            var capacity = Math.Max(4, _length * 2);
            Array.Resize(ref _bins, capacity);
            Array.Resize(ref _counts, capacity);
            Array.Resize(ref _sums, capacity);
        }

        var tail = _length - index;
        if (tail > 0)
        {
            Array.Copy(_bins, index, _bins, index + 1, tail);
            Array.Copy(_counts, index, _counts, index + 1, tail);
            Array.Copy(_sums, index, _sums, index + 1, tail);
        }

        _bins[index] = bin;
        _counts[index] = 0;
        _sums[index] = 0;
        _length++;
        return index;
    }

    /// <summary>Empties the histogram, keeping its arrays for reuse.</summary>
    public void Clear()
    {
        _length = 0;
        Count = 0;
        Sum = 0;
    }

    /// <summary>Drops bins that are empty again and trims the arrays to the bins held.</summary>
    public void Compact()
    {
        var kept = 0;
        for (var i = 0; i < _length; i++)
        {
            if (_counts[i] != 0 || _sums[i] != 0)
            {
                _bins[kept] = _bins[i];
                _counts[kept] = _counts[i];
                _sums[kept] = _sums[i];
                kept++;
            }
        }

        _length = kept;
        Array.Resize(ref _bins, kept);
        Array.Resize(ref _counts, kept);
        Array.Resize(ref _sums, kept);
    }

    /// <summary>Adds this histogram's bins into <paramref name="accumulator"/>.</summary>
    public void AddTo(HistogramAccumulator accumulator)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        for (var i = 0; i < _length; i++)
        {
            accumulator.AddBin(_bins[i], _counts[i], _sums[i]);
        }
    }

    private static long[] BuildBounds()
    {
        var bounds = new List<long>(2200);
        for (var i = 0; i < ExactBins; i++)
        {
            bounds.Add(i);
        }

        var edge = (double)ExactBins;
        const long limit = 1L << 42;
        while (bounds[^1] < limit)
        {
            edge *= Gamma;
            // Ceiling keeps every bin at most γ−1 of its lower edge wide; Max keeps edges strictly increasing.
            bounds.Add(Math.Max(bounds[^1] + 1, (long)Math.Ceiling(edge)));
        }

        return [.. bounds];
    }
}

/// <summary>
/// Per-bin totals used to merge histograms for one query (15 or 60 minutes, or many days). Dense over the
/// span of bins seen, not over every bin: a measure's durations occupy a narrow band (waits of seconds,
/// talks of minutes), and one query merges up to 40 of these, so full-width arrays cost 25 KiB each.
/// </summary>
public sealed class HistogramAccumulator
{
    private long[] _counts = [];
    private long[] _sums = [];
    private int _first;

    public long Count { get; private set; }

    public long Sum { get; private set; }

    public void AddBin(int bin, long count, long sum)
    {
        Cover(bin, bin);
        _counts[bin - _first] += count;
        _sums[bin - _first] += sum;
        Count += count;
        Sum += sum;
    }

    public void Add(HistogramAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._counts.Length == 0)
        {
            return;
        }

        Cover(other._first, other._first + other._counts.Length - 1);
        var offset = other._first - _first;
        for (var i = 0; i < other._counts.Length; i++)
        {
            _counts[offset + i] += other._counts[i];
            _sums[offset + i] += other._sums[i];
        }

        Count += other.Count;
        Sum += other.Sum;
    }

    /// <summary>The nearest-rank quantile (<paramref name="q"/> in (0, 1]) in ms, as the mean of its bin; null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Count <= 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] <= 0)
            {
                continue;
            }

            seen += _counts[i];
            if (seen >= rank)
            {
                return (double)_sums[i] / _counts[i];
            }
        }

        return Max();
    }

    /// <summary>The mean of the highest non-empty bin, in ms; null when empty.</summary>
    public double? Max()
    {
        for (var i = _counts.Length - 1; i >= 0; i--)
        {
            if (_counts[i] > 0)
            {
                return (double)_sums[i] / _counts[i];
            }
        }

        return null;
    }

    /// <summary>Grows the arrays (with slack on the growing side) until they cover bins <paramref name="low"/>..<paramref name="high"/>.</summary>
    private void Cover(int low, int high)
    {
        if (_counts.Length == 0)
        {
            var width = Math.Max(16, high - low + 1);
            _first = Math.Max(0, Math.Min(low, LogHistogram.BinCount - width));
            _counts = new long[width];
            _sums = new long[width];
            return;
        }

        var last = _first + _counts.Length - 1;
        if (low >= _first && high <= last)
        {
            return;
        }

        var slack = _counts.Length;
        var newFirst = low < _first ? Math.Max(0, low - slack) : _first;
        var newLast = high > last ? Math.Min(LogHistogram.BinCount - 1, high + slack) : last;
        var counts = new long[newLast - newFirst + 1];
        var sums = new long[counts.Length];
        Array.Copy(_counts, 0, counts, _first - newFirst, _counts.Length);
        Array.Copy(_sums, 0, sums, _first - newFirst, _sums.Length);
        (_counts, _sums, _first) = (counts, sums, newFirst);
    }

    public DurationStats ToStats()
    {
        if (Count <= 0)
        {
            return DurationStats.Empty;
        }

        return new DurationStats(
            Count,
            MsToSeconds(Sum),
            MsToSeconds((double)Sum / Count),
            MsToSeconds(Max()!.Value),
            MsToSeconds(Quantile(0.5)!.Value),
            MsToSeconds(Quantile(0.9)!.Value));
    }

    /// <summary>Seconds with millisecond precision.</summary>
    internal static double MsToSeconds(double ms) => Math.Round(ms, MidpointRounding.AwayFromZero) / 1000.0;
}

/// <summary>A duration measure in a window: count, sum (s) and, when count &gt; 0, avg, max, p50, p90 (s).</summary>
public sealed record DurationStats(long Count, double Sum, double? Avg, double? Max, double? P50, double? P90)
{
    public static readonly DurationStats Empty = new(0, 0, null, null, null, null);
}
