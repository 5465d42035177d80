namespace LifelineRealtime.Domain.Statistics;

/// <summary>
/// A mergeable, invertible log-scale histogram of durations in integer milliseconds. Bins are fixed for
/// the whole process: one per millisecond below <see cref="ExactBins"/> ms, then bins whose width is at
/// most <see cref="RelativeErrorBound"/> (2 %) of their lower edge (γ = 1.02), up to 2^42 ms. Every bin
/// keeps its sample count and the integer sum of its samples, so removing a sample (a negative delta)
/// restores the exact previous state and the result never depends on the order of updates.
/// <para>
/// Error: count, sum, average and <b>max are exact</b>. Percentiles are reported as the mean of the bin
/// holding them; that mean and the true value lie in the same bin, so a percentile is exact below 1.024 s
/// and otherwise within 2 % of the true value (|reported − true| ≤ 0.02 × true).
/// </para>
/// <para>
/// The exact max comes from a short list beside the bins: the <see cref="TopCapacity"/> largest distinct
/// values with their counts, and a floor that every value not listed is at or below. Adding keeps the list
/// (a value above the smallest listed one pushes that one out and raises the floor); removing a listed value
/// takes it off the list, so the next largest is still known; the max is the first listed value. The list
/// runs out only if more than <see cref="TopCapacity"/> distinct largest values of one minute or day are
/// withdrawn with nothing larger added since — and statistics written before the list existed read back
/// without one; in both cases the max is the bin estimate until a larger value arrives.
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

    /// <summary>How many of the largest distinct values are kept exactly, for the max.</summary>
    public const int TopCapacity = 16;

    private static readonly double InverseLogGamma = 1 / Math.Log(Gamma);

    /// <summary>Lower edge (inclusive, ms) of every bin; bin i holds [LowerBounds[i], LowerBounds[i + 1]).</summary>
    internal static readonly long[] LowerBounds = BuildBounds();

    private int[] _bins = [];
    private long[] _counts = [];
    private long[] _sums = [];
    private int _length;

    // The largest distinct values, descending, with their counts; every value not listed is ≤ _floor.
    private long[] _top = [];
    private long[] _topCounts = [];
    private int _topLength;
    private long _listedCount;
    private long _floor = long.MinValue;

    public static int BinCount { get; } = LowerBounds.Length;

    public long Count { get; private set; }

    public long Sum { get; private set; }

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

    /// <summary>The largest value held, exactly, in ms; null when empty or when it is not known exactly
    /// (see the remarks on the list of largest values).</summary>
    public long? ExactMax => Count > 0 && _topLength > 0 ? _top[0] : null;

    /// <summary>Every value not in the list of largest values is at or below this (long.MinValue: none is).</summary>
    internal long Floor => _floor;

    /// <summary>Adds (<paramref name="count"/> &gt; 0) or removes (&lt; 0) samples of one value.</summary>
    public void Add(long ms, int count)
    {
        var index = SlotOf(BinOf(ms));
        _counts[index] += count;
        _sums[index] += ms * count;
        Count += count;
        Sum += ms * count;
        if (count > 0)
        {
            List(ms, count);
        }
        else if (count < 0)
        {
            Unlist(ms, -count);
        }

        SettleFloor();
    }

    /// <summary>
    /// Adds bins as read back from storage, with the list of largest values stored beside them, or, for
    /// statistics written before the list existed (<paramref name="top"/> null), with the highest stored bin's
    /// upper edge as the floor: the max is then known again once a larger value is added.
    /// </summary>
    internal void AddStored(IReadOnlyList<(int Bin, long Count, long Sum)> bins, long floor, IReadOnlyList<(long Value, long Count)>? top)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var highest = -1;
        foreach (var (bin, count, sum) in bins)
        {
            var index = SlotOf(bin);
            _counts[index] += count;
            _sums[index] += sum;
            Count += count;
            Sum += sum;
            if (count > 0)
            {
                highest = Math.Max(highest, bin);
            }
        }

        if (top is null)
        {
            if (highest >= 0)
            {
                _floor = Math.Max(_floor, highest + 1 < LowerBounds.Length ? LowerBounds[highest + 1] - 1 : long.MaxValue);
            }
        }
        else
        {
            _floor = Math.Max(_floor, floor);
            foreach (var (value, count) in top)
            {
                List(value, count);
            }
        }

        SettleFloor();
    }

    /// <summary>The list of largest values, descending, with their counts.</summary>
    internal IEnumerable<(long Value, long Count)> Top()
    {
        for (var i = 0; i < _topLength; i++)
        {
            yield return (_top[i], _topCounts[i]);
        }
    }

    /// <summary>Puts <paramref name="count"/> samples of <paramref name="ms"/> on the list when they belong there.</summary>
    private void List(long ms, long count)
    {
        if (ms < _floor)
        {
            return;
        }

        var index = FindTop(ms);
        if (index >= 0)
        {
            _topCounts[index] += count;
            _listedCount += count;
            return;
        }

        index = ~index;
        if (_topLength == TopCapacity)
        {
            if (index == TopCapacity)
            {
                // At or below every listed value: it stays unlisted and bounds what is unlisted.
                _floor = Math.Max(_floor, ms);
                return;
            }

            // The smallest listed value leaves the list; it now bounds the unlisted values.
            _topLength--;
            _floor = Math.Max(_floor, _top[_topLength]);
            _listedCount -= _topCounts[_topLength];
        }
        else if (_topLength == _top.Length)
        {
            var capacity = Math.Min(TopCapacity, Math.Max(2, _topLength * 2));
            Array.Resize(ref _top, capacity);
            Array.Resize(ref _topCounts, capacity);
        }

        Array.Copy(_top, index, _top, index + 1, _topLength - index);
        Array.Copy(_topCounts, index, _topCounts, index + 1, _topLength - index);
        _top[index] = ms;
        _topCounts[index] = count;
        _topLength++;
        _listedCount += count;
    }

    /// <summary>Takes samples of <paramref name="ms"/> off the list when it is listed (else they were unlisted).</summary>
    private void Unlist(long ms, long count)
    {
        var index = FindTop(ms);
        if (index < 0)
        {
            return;
        }

        var taken = Math.Min(count, _topCounts[index]);
        _topCounts[index] -= taken;
        _listedCount -= taken;
        if (_topCounts[index] == 0)
        {
            Array.Copy(_top, index + 1, _top, index, _topLength - index - 1);
            Array.Copy(_topCounts, index + 1, _topCounts, index, _topLength - index - 1);
            _topLength--;
        }
    }

    /// <summary>With every sample listed, nothing is below the list any more: the floor goes.</summary>
    private void SettleFloor()
    {
        if (Count == _listedCount)
        {
            _floor = long.MinValue;
        }
    }

    /// <summary>Index of <paramref name="ms"/> in the descending list, or the complement of where it would go.</summary>
    private int FindTop(long ms)
    {
        for (var i = 0; i < _topLength; i++)
        {
            if (_top[i] == ms)
            {
                return i;
            }

            if (_top[i] < ms)
            {
                return ~i;
            }
        }

        return ~_topLength;
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
        _topLength = 0;
        _listedCount = 0;
        _floor = long.MinValue;
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
        Array.Resize(ref _top, _topLength);
        Array.Resize(ref _topCounts, _topLength);
    }

    /// <summary>Adds this histogram's bins into <paramref name="accumulator"/>.</summary>
    public void AddTo(HistogramAccumulator accumulator)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        for (var i = 0; i < _length; i++)
        {
            accumulator.AddBin(_bins[i], _counts[i], _sums[i]);
        }

        if (Count > 0)
        {
            accumulator.AddMax(ExactMax, _floor);
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

    // The largest exact max merged, and the largest bound under which an unknown max lies.
    private long _exactMax = long.MinValue;
    private long _unknownBelow = long.MinValue;

    public long Count { get; private set; }

    public long Sum { get; private set; }

    /// <summary>Merges one histogram's max: exact, or (null) known only to be at or below <paramref name="floor"/>.</summary>
    public void AddMax(long? exactMax, long floor)
    {
        if (exactMax is { } max)
        {
            _exactMax = Math.Max(_exactMax, max);
        }
        else
        {
            _unknownBelow = Math.Max(_unknownBelow, floor);
        }
    }

    /// <summary>The exact max in ms, or null when empty or when a merged histogram's max is not known exactly
    /// and could exceed every exact one.</summary>
    public long? ExactMax => Count > 0 && _exactMax != long.MinValue && _exactMax >= _unknownBelow ? _exactMax : null;

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
        _exactMax = Math.Max(_exactMax, other._exactMax);
        _unknownBelow = Math.Max(_unknownBelow, other._unknownBelow);
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

    /// <summary>The mean of the highest non-empty bin, in ms (the max's estimate when it is not known exactly); null when empty.</summary>
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
            MsToSeconds(ExactMax ?? Max()!.Value),
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
