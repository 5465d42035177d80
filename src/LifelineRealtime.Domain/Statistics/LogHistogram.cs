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
/// Storage is paged (64 bins a page, allocated on first use and reused after <see cref="Clear"/>) so
/// updates are O(1) without allocating in steady state; <see cref="Compact"/> turns a closed day's
/// histogram into sorted sparse arrays.
/// </summary>
public sealed class LogHistogram
{
    public const int ExactBins = 1024;
    public const double Gamma = 1.02;
    public const double RelativeErrorBound = Gamma - 1;
    private const int PageBits = 6;
    private const int PageSize = 1 << PageBits;

    /// <summary>Lower edge (inclusive, ms) of every bin; bin i holds [LowerBounds[i], LowerBounds[i + 1]).</summary>
    internal static readonly long[] LowerBounds = BuildBounds();

    public static int BinCount { get; } = LowerBounds.Length;

    // Paged form: page p holds bins [p*64, p*64+64) as (count, sum) pairs.
    private long[]?[]? _pages;

    // Compact form (closed days): sorted bins with their counts and sums.
    private int[]? _compactBins;
    private long[]? _compactCounts;
    private long[]? _compactSums;

    public long Count { get; private set; }

    public long Sum { get; private set; }

    public bool IsCompact => _compactBins is not null;

    /// <summary>The bin of a duration; negative durations count as 0.</summary>
    public static int BinOf(long ms)
    {
        if (ms < ExactBins)
        {
            return ms < 0 ? 0 : (int)ms;
        }

        int lo = ExactBins, hi = LowerBounds.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (LowerBounds[mid] <= ms)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>Adds (<paramref name="count"/> &gt; 0) or removes (&lt; 0) samples of one value.</summary>
    public void Add(long ms, int count)
    {
        if (_compactBins is not null)
        {
            Expand();
        }

        var bin = BinOf(ms);
        _pages ??= new long[]?[(BinCount + PageSize - 1) >> PageBits];
        var page = _pages[bin >> PageBits] ??= new long[PageSize * 2];
        var slot = (bin & (PageSize - 1)) << 1;
        page[slot] += count;
        page[slot + 1] += ms * count;
        Count += count;
        Sum += ms * count;
    }

    /// <summary>Adds a whole bin (count and integer-ms sum) as read back from storage.</summary>
    internal void AddBin(int bin, long count, long sum)
    {
        if (_compactBins is not null)
        {
            Expand();
        }

        _pages ??= new long[]?[(BinCount + PageSize - 1) >> PageBits];
        var page = _pages[bin >> PageBits] ??= new long[PageSize * 2];
        var slot = (bin & (PageSize - 1)) << 1;
        page[slot] += count;
        page[slot + 1] += sum;
        Count += count;
        Sum += sum;
    }

    /// <summary>Empties the histogram, keeping its pages for reuse.</summary>
    public void Clear()
    {
        if (_pages is not null)
        {
            foreach (var page in _pages)
            {
                if (page is not null)
                {
                    Array.Clear(page);
                }
            }
        }

        _compactBins = null;
        _compactCounts = null;
        _compactSums = null;
        Count = 0;
        Sum = 0;
    }

    /// <summary>Switches to the sparse form (only non-empty bins), releasing the pages.</summary>
    public void Compact()
    {
        if (_compactBins is not null)
        {
            return;
        }

        var bins = new List<int>();
        var counts = new List<long>();
        var sums = new List<long>();
        ForEachBin((bin, count, sum) =>
        {
            bins.Add(bin);
            counts.Add(count);
            sums.Add(sum);
        });
        _compactBins = [.. bins];
        _compactCounts = [.. counts];
        _compactSums = [.. sums];
        _pages = null;
    }

    /// <summary>Adds this histogram's bins into <paramref name="accumulator"/>.</summary>
    public void AddTo(HistogramAccumulator accumulator)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        ForEachBin(accumulator.AddBin);
    }

    internal void ForEachBin(Action<int, long, long> action)
    {
        if (_compactBins is not null)
        {
            for (var i = 0; i < _compactBins.Length; i++)
            {
                action(_compactBins[i], _compactCounts![i], _compactSums![i]);
            }

            return;
        }

        if (_pages is null)
        {
            return;
        }

        for (var p = 0; p < _pages.Length; p++)
        {
            var page = _pages[p];
            if (page is null)
            {
                continue;
            }

            for (var k = 0; k < PageSize; k++)
            {
                if (page[2 * k] != 0 || page[(2 * k) + 1] != 0)
                {
                    action((p << PageBits) + k, page[2 * k], page[(2 * k) + 1]);
                }
            }
        }
    }

    private void Expand()
    {
        var bins = _compactBins!;
        var counts = _compactCounts!;
        var sums = _compactSums!;
        _compactBins = null;
        _compactCounts = null;
        _compactSums = null;
        _pages = new long[]?[(BinCount + PageSize - 1) >> PageBits];
        for (var i = 0; i < bins.Length; i++)
        {
            var page = _pages[bins[i] >> PageBits] ??= new long[PageSize * 2];
            var slot = (bins[i] & (PageSize - 1)) << 1;
            page[slot] += counts[i];
            page[slot + 1] += sums[i];
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

/// <summary>Dense per-bin totals used to merge histograms for one query (15 or 60 minutes, or many days).</summary>
public sealed class HistogramAccumulator
{
    private readonly long[] _counts = new long[LogHistogram.BinCount];
    private readonly long[] _sums = new long[LogHistogram.BinCount];

    public long Count { get; private set; }

    public long Sum { get; private set; }

    public void AddBin(int bin, long count, long sum)
    {
        _counts[bin] += count;
        _sums[bin] += sum;
        Count += count;
        Sum += sum;
    }

    public void Add(HistogramAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            if (other._counts[i] != 0 || other._sums[i] != 0)
            {
                AddBin(i, other._counts[i], other._sums[i]);
            }
        }
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
