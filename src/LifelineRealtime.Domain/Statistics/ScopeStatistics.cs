using System.Collections.Immutable;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Domain.Statistics;

/// <summary>
/// The statistics of one scope (platform, queue, team or worker): signed measure samples and activity
/// intervals booked into (a) a ring of 60 one-minute buckets for the rolling <c>15m</c> and <c>1h</c>
/// windows, expired lazily by minute stamp, and (b) daily buckets keyed by the platform-local date,
/// from which weeks, months and ranges are summed. Applying a sample touches two buckets and allocates
/// nothing once their histograms hold the sample's bin. Not thread-safe: one owner (a grain, a fold) at a time.
/// </summary>
public sealed partial class ScopeStatistics
{
    private const int RingMinutes = 60;
    private const long MinuteMs = 60_000;

    private readonly PlatformSettings _settings;
    private readonly int _supportTypes;
    // Minute buckets are created on first use: most scopes (a worker, a quiet queue) touch few minutes,
    // and thousands of scopes must not each pay for 60 buckets up front.
    private readonly MetricBucket?[] _ring;
    private readonly long[] _ringStamps;
    private readonly Dictionary<int, MetricBucket> _days = [];
    private readonly Dictionary<string, int> _activityIndex = new(StringComparer.Ordinal);
    private readonly List<string> _activityNames = [];
    private readonly Dictionary<string, OpenActivity> _open = new(StringComparer.Ordinal);

    // The day of the last update: most consecutive samples fall in the same local day.
    private long _cachedDayStartMs = long.MaxValue;
    private long _cachedDayEndMs = long.MinValue;
    private MetricBucket? _cachedDay;

    public ScopeStatistics(ScopeKey scope, PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Scope = scope;
        _settings = settings;
        _supportTypes = settings.SupportTypes.Length;
        _ring = new MetricBucket?[RingMinutes];
        _ringStamps = new long[RingMinutes];
        for (var i = 0; i < RingMinutes; i++)
        {
            _ringStamps[i] = long.MinValue;
        }
    }

    public ScopeKey Scope { get; }

    /// <summary>Daily buckets held.</summary>
    public int DayCount => _days.Count;

    /// <summary>Books <paramref name="count"/> copies (negative: removes) of a sample.</summary>
    public void Apply(in MeasureSample sample, int count = 1)
    {
        var minute = FloorDiv(sample.TimeMs, MinuteMs);
        var slot = (int)(minute % RingMinutes);
        if (slot < 0)
        {
            slot += RingMinutes;
        }

        if (_ringStamps[slot] < minute)
        {
            RingBucket(slot).Clear();
            _ringStamps[slot] = minute;
        }

        // A slot already holding a later minute means this minute is more than an hour older than events
        // already seen, so it lies outside every rolling window still to be asked for: only the day keeps it.
        if (_ringStamps[slot] == minute)
        {
            _ring[slot]!.Add(sample.Measure, sample.SupportType, sample.Value, count);
        }

        DayOf(sample.TimeMs).Add(sample.Measure, sample.SupportType, sample.Value, count);
    }

    /// <summary>Books the samples of a delta that belong to this scope.</summary>
    public void Apply(ImmutableArray<SampleDelta> deltas)
    {
        foreach (var delta in deltas)
        {
            if (delta.Sample.Scope == Scope)
            {
                Apply(delta.Sample, delta.Count);
            }
        }
    }

    /// <summary>Books a closed activity interval, split exactly at minute and local-day boundaries.</summary>
    public void ApplyActivity(in ActivityInterval interval, int count = 1)
    {
        if (interval.EndMs <= interval.StartMs)
        {
            return;
        }

        var activity = ActivityIndex(interval.Activity);

        // Days.
        var start = interval.StartMs;
        while (start < interval.EndMs)
        {
            var bucket = DayOf(start);
            var end = Math.Min(interval.EndMs, _cachedDayEndMs);
            bucket.AddActivity(activity, (end - start) * count);
            start = end;
        }

        // Minutes: only the last 60 minutes of the interval can survive in the ring.
        var lastMinute = FloorDiv(interval.EndMs - 1, MinuteMs);
        var minute = Math.Max(FloorDiv(interval.StartMs, MinuteMs), lastMinute - RingMinutes + 1);
        for (; minute <= lastMinute; minute++)
        {
            var slot = (int)(((minute % RingMinutes) + RingMinutes) % RingMinutes);
            if (_ringStamps[slot] < minute)
            {
                RingBucket(slot).Clear();
                _ringStamps[slot] = minute;
            }

            if (_ringStamps[slot] == minute)
            {
                var from = Math.Max(interval.StartMs, minute * MinuteMs);
                var to = Math.Min(interval.EndMs, (minute + 1) * MinuteMs);
                _ring[slot]!.AddActivity(activity, (to - from) * count);
            }
        }
    }

    /// <summary>Applies a worker timeline delta: interval changes and the swap of the open interval.</summary>
    public void Apply(TimelineDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        foreach (var change in delta.Intervals)
        {
            ApplyActivity(change.Interval, change.Count);
        }

        if (delta.RemovedOpen is { } removed && _open.TryGetValue(removed.WorkerSid, out var current) && current == removed)
        {
            _open.Remove(removed.WorkerSid);
        }

        if (delta.AddedOpen is { } added)
        {
            ActivityIndex(added.Activity);
            _open[added.WorkerSid] = added;
        }
    }

    /// <summary>Trims the histograms of days before <paramref name="nowMs"/>'s local day to the bins they hold (a closed day changes no more, but by a late event).</summary>
    public void CompactClosedDays(long nowMs)
    {
        var today = _settings.LocalDate(nowMs).DayNumber;
        foreach (var (day, bucket) in _days)
        {
            if (day < today && !bucket.Compacted)
            {
                bucket.Compact();
            }
        }
    }

    /// <summary>Drops daily buckets older than the retention (<see cref="PlatformSettings.DailyRetentionDays"/> days).</summary>
    public void PruneExpiredDays(long nowMs)
    {
        var oldest = _settings.LocalDate(nowMs).DayNumber - PlatformSettings.DailyRetentionDays;
        List<int>? expired = null;
        foreach (var day in _days.Keys)
        {
            if (day < oldest)
            {
                (expired ??= []).Add(day);
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var day in expired)
        {
            _days.Remove(day);
        }

        _cachedDay = null;
        _cachedDayStartMs = long.MaxValue;
        _cachedDayEndMs = long.MinValue;
    }

    /// <summary>The metrics snapshot of this scope for a resolved window.</summary>
    public MetricsSnapshot Snapshot(ResolvedWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var accumulator = Accumulate(window);
        var taskSide = Scope.Kind is ScopeKind.Platform or ScopeKind.Queue;
        var byType = ImmutableSortedDictionary.CreateBuilder<string, MetricValues>(StringComparer.Ordinal);
        var totalCounts = new long[Measures.CountMeasures];
        var totalDurations = new HistogramAccumulator[Measures.DurationMeasures];
        for (var d = 0; d < totalDurations.Length; d++)
        {
            totalDurations[d] = new HistogramAccumulator();
        }

        for (var type = 0; type < _supportTypes; type++)
        {
            var counts = new long[Measures.CountMeasures];
            Array.Copy(accumulator.Counts, type * Measures.CountMeasures, counts, 0, Measures.CountMeasures);
            var durations = new DurationStats[Measures.DurationMeasures];
            for (var d = 0; d < Measures.DurationMeasures; d++)
            {
                var histogram = accumulator.DurationOrNull((type * Measures.DurationMeasures) + d);
                durations[d] = histogram?.ToStats() ?? DurationStats.Empty;
                if (histogram is not null)
                {
                    totalDurations[d].Add(histogram);
                }
            }

            for (var m = 0; m < counts.Length; m++)
            {
                totalCounts[m] += counts[m];
            }

            var values = Values(counts, durations, taskSide);
            if (type != _settings.UnclassifiedIndex || values.HasTraffic)
            {
                byType.Add(_settings.SupportTypes[type], values);
            }
        }

        var totals = Values(totalCounts, [.. totalDurations.Select(h => h.ToStats())], taskSide);
        return new MetricsSnapshot(_settings.Id, Scope.KindName, Scope.Id, window.ToInfo(), totals, byType.ToImmutable());
    }

    /// <summary>
    /// Seconds per activity in the window, the open intervals counted up to the window end (for rolling
    /// windows and today, "now"), and percent of logged-in time.
    /// </summary>
    public LoggedStatus LoggedStatus(ResolvedWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var accumulator = Accumulate(window);
        var until = Math.Min(window.EndMs, window.NowMs);
        foreach (var open in _open.Values)
        {
            var from = Math.Max(open.StartMs, window.StartMs);
            if (until > from)
            {
                accumulator.AddActivity(ActivityIndex(open.Activity), until - from);
            }
        }

        var ms = new Dictionary<string, long>(StringComparer.Ordinal);
        var activityMs = accumulator.ActivityMs;
        for (var i = 0; i < activityMs.Length; i++)
        {
            if (activityMs[i] != 0)
            {
                ms[_activityNames[i]] = activityMs[i];
            }
        }

        return Statistics.LoggedStatus.From(ms, _settings);
    }

    /// <summary>The worker's current activity (worker scope), for live views.</summary>
    public IReadOnlyCollection<OpenActivity> OpenActivities => _open.Values;

    /// <summary>The worker's current activity in this scope, or null when it has none.</summary>
    public string? CurrentActivity(string workerSid) => _open.TryGetValue(workerSid, out var open) ? open.Activity : null;

    private WindowAccumulator Accumulate(ResolvedWindow window)
    {
        var accumulator = new WindowAccumulator(_supportTypes);
        if (window.Window.Kind == MetricWindowKind.Rolling)
        {
            for (var minute = window.FirstMinute; minute <= window.LastMinute; minute++)
            {
                var slot = (int)(((minute % RingMinutes) + RingMinutes) % RingMinutes);
                if (_ringStamps[slot] == minute)
                {
                    _ring[slot]!.AddTo(accumulator);
                }
            }
        }
        else
        {
            for (var day = window.FirstDay; day <= window.LastDay; day++)
            {
                if (_days.TryGetValue(day, out var bucket))
                {
                    bucket.AddTo(accumulator);
                }
            }
        }

        return accumulator;
    }

    private static MetricValues Values(long[] c, DurationStats[] d, bool taskSide)
    {
        long Count(Measure m) => c[(int)m];
        var offered = Count(Measure.Offered);
        var handled = Count(Measure.Handled);
        var abandoned = Count(Measure.Abandoned);
        var reservations = Count(Measure.Reservations);
        var rejected = Count(Measure.Rejected);
        var timedOut = Count(Measure.TimedOut);
        var transferred = Count(Measure.Transferred);
        var shortAbandoned = Count(Measure.ShortAbandoned);
        var answered = Count(Measure.AnsweredInThreshold);
        return new MetricValues(
            offered, handled, abandoned, reservations, rejected, timedOut, transferred,
            d[Measure.WaitSeconds.DurationIndex()],
            d[Measure.AbandonedWaitSeconds.DurationIndex()],
            d[Measure.TalkSeconds.DurationIndex()],
            d[Measure.WrapSeconds.DurationIndex()],
            d[Measure.HandleSeconds.DurationIndex()],
            shortAbandoned,
            answered,
            Rate(rejected, reservations),
            Rate(timedOut, reservations),
            Rate(transferred, handled),
            Rate(abandoned, offered),
            taskSide ? Rate(answered, handled + abandoned - shortAbandoned) : null);
    }

    internal static double? Rate(long numerator, long denominator) =>
        denominator <= 0 ? null : Math.Round((double)numerator / denominator, 6, MidpointRounding.AwayFromZero);

    private MetricBucket RingBucket(int slot) => _ring[slot] ??= new MetricBucket(_supportTypes);

    private int ActivityIndex(string activity)
    {
        if (!_activityIndex.TryGetValue(activity, out var index))
        {
            index = _activityNames.Count;
            _activityNames.Add(activity);
            _activityIndex.Add(activity, index);
        }

        return index;
    }

    private MetricBucket DayOf(long timeMs)
    {
        if (_cachedDay is not null && timeMs >= _cachedDayStartMs && timeMs < _cachedDayEndMs)
        {
            return _cachedDay;
        }

        var date = _settings.LocalDate(timeMs);
        if (!_days.TryGetValue(date.DayNumber, out var bucket))
        {
            bucket = new MetricBucket(_supportTypes);
            _days.Add(date.DayNumber, bucket);
        }

        _cachedDay = bucket;
        _cachedDayStartMs = _settings.LocalDayStartMs(date);
        _cachedDayEndMs = _settings.LocalDayStartMs(date.AddDays(1));
        return bucket;
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}

/// <summary>Seconds per activity and logged-in seconds of a scope in a window.</summary>
public sealed record LoggedStatus(ImmutableSortedDictionary<string, ActivityStats> Activities, double LoggedInSeconds, long LoggedInMs)
{
    public static LoggedStatus From(IReadOnlyDictionary<string, long> activityMs, PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(activityMs);
        ArgumentNullException.ThrowIfNull(settings);
        long loggedIn = 0;
        foreach (var (activity, ms) in activityMs)
        {
            if (!settings.IsOffline(activity))
            {
                loggedIn += ms;
            }
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, ActivityStats>(StringComparer.Ordinal);
        foreach (var (activity, ms) in activityMs)
        {
            double? percent = settings.IsOffline(activity) || loggedIn == 0
                ? null
                : Math.Round(100.0 * ms / loggedIn, 3, MidpointRounding.AwayFromZero);
            builder.Add(activity, new ActivityStats(ms / 1000.0, percent));
        }

        return new LoggedStatus(builder.ToImmutable(), loggedIn / 1000.0, loggedIn);
    }

    public bool Equals(LoggedStatus? other) =>
        other is not null && LoggedInMs == other.LoggedInMs && SnapshotEquality.DictionariesEqual(Activities, other.Activities);

    public override int GetHashCode() => HashCode.Combine(LoggedInMs, Activities.Count);

    /// <summary>The JSON snapshot; <paramref name="workers"/> for team and platform scopes.</summary>
    public LoggedStatusSnapshot ToSnapshot(IEnumerable<WorkerLoggedStatus>? workers = null) =>
        new(Activities, LoggedInSeconds, workers?.OrderBy(w => w.WorkerSid, StringComparer.Ordinal).ToImmutableList());

    public WorkerLoggedStatus ForWorker(string workerSid, string? name) => new(workerSid, name, Activities, LoggedInSeconds);
}
