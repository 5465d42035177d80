using System.Collections.Immutable;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Lifecycle;

/// <summary>
/// A worker's logged status from <c>worker.activity.update</c> events. Each event closes
/// [t − <c>WorkerTimeInPreviousActivityMs</c>, t] in the previous activity and opens its new activity
/// at t. The timeline is the union of the closed intervals per (team, activity), so arrival order and
/// duplicates do not matter, plus the open interval of the latest event, which statistics count up to
/// "now" at query time. State is bounded by <see cref="Prune"/>: events older than the cutoff are
/// dropped (the statistics already hold their intervals).
/// </summary>
public sealed class WorkerTimeline
{
    private readonly PlatformSettings _settings;
    private readonly List<Entry> _events = [];
    private readonly HashSet<string> _sids = new(StringComparer.Ordinal);
    private TimelineContribution? _contribution;
    private long _prunedBeforeMs = long.MinValue;

    public WorkerTimeline(string workerSid, PlatformSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerSid);
        ArgumentNullException.ThrowIfNull(settings);
        WorkerSid = workerSid;
        _settings = settings;
    }

    public string WorkerSid { get; }

    public int EventCount => _events.Count;

    public TimelineContribution Contribution => _contribution ??= Compute(long.MaxValue);

    /// <summary>The contribution of the events with journal sequence ≤ <paramref name="sequence"/>.</summary>
    public TimelineContribution ContributionThrough(long sequence) => Compute(sequence);

    /// <summary>Applies a <c>worker.activity.update</c> of this worker; false for duplicates, other
    /// events, and events older than the pruning cutoff.</summary>
    public bool Apply(TaskRouterEvent taskRouterEvent, long sequence = 0)
    {
        ArgumentNullException.ThrowIfNull(taskRouterEvent);
        if (taskRouterEvent is not WorkerEvent { Type: TaskRouterEventType.WorkerActivityUpdate } e
            || !string.Equals(e.Worker.Sid, WorkerSid, StringComparison.Ordinal)
            || e.TimestampMs < _prunedBeforeMs
            || !_sids.Add(e.Sid))
        {
            return false;
        }

        _events.Add(new Entry(e, sequence, _settings.TeamOf(e.Worker.Attributes)));
        _contribution = null;
        return true;
    }

    /// <summary>How long a worker's events are held after they happened: the timeline of any window starting
    /// since then is whole (<see cref="Holds"/>); older intervals live on only as logged-status totals.</summary>
    public const long RetainedMs = 2 * 24 * 3_600_000L;

    /// <summary>Whether a window's timeline is whole: it starts no earlier than <see cref="RetainedMs"/> before its "now".</summary>
    public static bool Holds(long windowStartMs, long nowMs) => windowStartMs >= nowMs - RetainedMs;

    /// <summary>
    /// The worker's activities in [<paramref name="fromMs"/>, <paramref name="toMs"/>) in time order, each cut to
    /// the window; the current activity runs to <paramref name="nowMs"/> (and is marked open).
    /// </summary>
    public ImmutableArray<TimelineSegment> Segments(long fromMs, long toMs, long nowMs)
    {
        var contribution = Contribution;
        var segments = new List<TimelineSegment>(contribution.Intervals.Length + 1);
        void Add(string team, string activity, long start, long end, bool open)
        {
            start = Math.Max(start, fromMs);
            end = Math.Min(end, toMs);
            if (end > start)
            {
                segments.Add(new TimelineSegment(activity, team, start, end, open));
            }
        }

        foreach (var interval in contribution.Intervals)
        {
            Add(interval.Team, interval.Activity, interval.StartMs, interval.EndMs, open: false);
        }

        if (contribution.Open is { } current)
        {
            Add(current.Team, current.Activity, current.StartMs, nowMs, open: current.StartMs < toMs && nowMs <= toMs);
        }

        segments.Sort(static (a, b) => a.StartMs != b.StartMs ? a.StartMs.CompareTo(b.StartMs) : a.EndMs.CompareTo(b.EndMs));
        return [.. segments];
    }

    /// <summary>
    /// Forgets events before <paramref name="cutoffMs"/> (the latest event is always kept). Take the
    /// contribution baseline again after pruning: the intervals dropped here stay in the statistics,
    /// and later deltas only touch what is still held.
    /// </summary>
    public void Prune(long cutoffMs)
    {
        var latest = Latest(long.MaxValue);
        var removed = _events.RemoveAll(entry => entry.Event.TimestampMs < cutoffMs && !ReferenceEquals(entry, latest));
        _prunedBeforeMs = Math.Max(_prunedBeforeMs, cutoffMs);
        if (removed > 0)
        {
            _contribution = null;
        }
    }

    private Entry? Latest(long sequence)
    {
        Entry? latest = null;
        foreach (var entry in _events)
        {
            if (entry.Sequence <= sequence && (latest is null || Compare(entry, latest) > 0))
            {
                latest = entry;
            }
        }

        return latest;
    }

    private static int Compare(Entry x, Entry y)
    {
        var c = x.Event.TimestampMs.CompareTo(y.Event.TimestampMs);
        if (c != 0)
        {
            return c;
        }

        c = (x.Event.Worker.Version ?? -1).CompareTo(y.Event.Worker.Version ?? -1);
        return c != 0 ? c : string.CompareOrdinal(x.Event.Sid, y.Event.Sid);
    }

    private TimelineContribution Compute(long sequence)
    {
        var raw = new List<ActivityInterval>(_events.Count);
        foreach (var entry in _events)
        {
            var e = entry.Event;
            if (entry.Sequence <= sequence && e.PreviousActivityName is { Length: > 0 } previous && e.TimeInPreviousActivityMs is { } duration && duration > 0)
            {
                raw.Add(new ActivityInterval(WorkerSid, entry.Team, previous, e.TimestampMs - duration, e.TimestampMs));
            }
        }

        raw.Sort();
        var merged = ImmutableArray.CreateBuilder<ActivityInterval>(raw.Count);
        foreach (var interval in raw)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                if (string.Equals(last.Team, interval.Team, StringComparison.Ordinal)
                    && string.Equals(last.Activity, interval.Activity, StringComparison.Ordinal)
                    && interval.StartMs <= last.EndMs)
                {
                    merged[^1] = last with { EndMs = Math.Max(last.EndMs, interval.EndMs) };
                    continue;
                }
            }

            merged.Add(interval);
        }

        var latest = Latest(sequence);
        OpenActivity? open = latest?.Event.Worker.ActivityName is { Length: > 0 } activity
            ? new OpenActivity(WorkerSid, latest.Team, activity, latest.Event.TimestampMs)
            : null;
        return new TimelineContribution(merged.DrainToImmutable(), open);
    }

    private sealed record Entry(WorkerEvent Event, long Sequence, string Team);
}

/// <summary>One stretch of an activity in a timeline, [StartMs, EndMs); <see cref="Open"/> when it is the current activity, still running.</summary>
public readonly record struct TimelineSegment(string Activity, string Team, long StartMs, long EndMs, bool Open);

/// <summary>A closed interval of one activity, [StartMs, EndMs] in Unix milliseconds.</summary>
public readonly record struct ActivityInterval(string WorkerSid, string Team, string Activity, long StartMs, long EndMs) : IComparable<ActivityInterval>
{
    public int CompareTo(ActivityInterval other)
    {
        var c = string.CompareOrdinal(WorkerSid, other.WorkerSid);
        if (c == 0)
        {
            c = string.CompareOrdinal(Team, other.Team);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(Activity, other.Activity);
        }

        if (c == 0)
        {
            c = StartMs.CompareTo(other.StartMs);
        }

        return c != 0 ? c : EndMs.CompareTo(other.EndMs);
    }

    public static bool operator <(ActivityInterval left, ActivityInterval right) => left.CompareTo(right) < 0;

    public static bool operator <=(ActivityInterval left, ActivityInterval right) => left.CompareTo(right) <= 0;

    public static bool operator >(ActivityInterval left, ActivityInterval right) => left.CompareTo(right) > 0;

    public static bool operator >=(ActivityInterval left, ActivityInterval right) => left.CompareTo(right) >= 0;
}

/// <summary>The activity a worker is in now, since <see cref="StartMs"/>; counted up to "now" at query time.</summary>
public sealed record OpenActivity(string WorkerSid, string Team, string Activity, long StartMs);

/// <summary>A worker's closed intervals (sorted, merged per team and activity) and its open interval.</summary>
public sealed record TimelineContribution(ImmutableArray<ActivityInterval> Intervals, OpenActivity? Open)
{
    public static readonly TimelineContribution Empty = new([], null);

    /// <summary>The signed interval changes and the open-interval swap that turn <paramref name="previous"/> into <paramref name="next"/>.</summary>
    public static TimelineDelta Diff(TimelineContribution previous, TimelineContribution next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var changes = SortedMultiset.Diff(previous.Intervals, next.Intervals, static (interval, count) => new IntervalDelta(interval, count));
        var openChanged = !Equals(previous.Open, next.Open);
        return new TimelineDelta(changes, openChanged ? previous.Open : null, openChanged ? next.Open : null);
    }

    public bool Equals(TimelineContribution? other) =>
        other is not null && Intervals.AsSpan().SequenceEqual(other.Intervals.AsSpan()) && Equals(Open, other.Open);

    public override int GetHashCode() => HashCode.Combine(Intervals.Length, Open);
}

public readonly record struct IntervalDelta(ActivityInterval Interval, int Count);

/// <summary>Interval changes, and the open interval to remove and to add (null when unchanged).</summary>
public sealed record TimelineDelta(ImmutableArray<IntervalDelta> Intervals, OpenActivity? RemovedOpen, OpenActivity? AddedOpen)
{
    public bool IsEmpty => Intervals.IsEmpty && RemovedOpen is null && AddedOpen is null;
}
