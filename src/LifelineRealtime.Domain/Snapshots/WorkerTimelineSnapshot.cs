using System.Collections.Immutable;
using LifelineRealtime.Domain.Lifecycle;

namespace LifelineRealtime.Domain.Snapshots;

/// <summary>One stretch of an activity as reported to readers: UTC instants, seconds with millisecond precision.</summary>
public sealed record TimelineSegmentInfo(string Activity, string Team, DateTimeOffset Start, DateTimeOffset End, double Seconds, bool Open)
{
    public static TimelineSegmentInfo From(TimelineSegment segment) => new(
        segment.Activity,
        segment.Team,
        DateTimeOffset.FromUnixTimeMilliseconds(segment.StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(segment.EndMs),
        (segment.EndMs - segment.StartMs) / 1000.0,
        segment.Open);
}

/// <summary>
/// <c>GET {platform}/workers/{sid}/timeline?window=</c>: a worker's activities in a window, in time order, as of
/// <see cref="AsOf"/>. Only windows that start within the last <see cref="WorkerTimeline.RetainedMs"/> are answered:
/// older activity lives on in the logged-status totals only.
/// </summary>
public sealed record WorkerTimelineSnapshot(
    string Platform,
    string WorkerSid,
    string? Name,
    WindowInfo Window,
    DateTimeOffset AsOf,
    ImmutableArray<TimelineSegmentInfo> Segments)
{
    public bool Equals(WorkerTimelineSnapshot? other) =>
        other is not null && Platform == other.Platform && WorkerSid == other.WorkerSid && Name == other.Name
        && Window == other.Window && AsOf == other.AsOf && Segments.AsSpan().SequenceEqual(other.Segments.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Platform, WorkerSid, AsOf, Segments.Length);
}
