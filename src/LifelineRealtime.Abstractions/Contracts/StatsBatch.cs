using System.Collections.Immutable;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>
/// Everything one dispatch round has for one stats scope. Every item carries the journal sequence of
/// the event that produced it: a stats grain applies only items above the sequence it has already
/// applied (its watermark), which makes re-delivery after a crash harmless.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.StatsBatch")]
public sealed record StatsBatch(
    [property: Id(0)] ImmutableArray<SampleChange> Samples,
    [property: Id(1)] ImmutableArray<IntervalChange> Intervals,
    [property: Id(2)] ImmutableArray<OpenActivityChange> OpenActivities,
    [property: Id(3)] ImmutableArray<TaskLiveChange> Tasks)
{
    /// <summary>Workers heard of, and offered tasks from a queue (platform scope; the live registry's stuck flags read them).</summary>
    [Id(4)]
    public ImmutableArray<WorkerLiveChange> Workers { get; init; } = [];

    /// <summary>The highest sequence in the batch (0 when empty).</summary>
    public long MaxSequence
    {
        get
        {
            long max = 0;
            foreach (var s in Samples) { max = Math.Max(max, s.Sequence); }
            foreach (var s in Intervals) { max = Math.Max(max, s.Sequence); }
            foreach (var s in OpenActivities) { max = Math.Max(max, s.Sequence); }
            foreach (var s in Tasks) { max = Math.Max(max, s.Sequence); }
            foreach (var s in Workers.IsDefault ? [] : Workers) { max = Math.Max(max, s.Sequence); }
            return max;
        }
    }
}

/// <summary>A signed measure sample (the scope is the receiving grain's).</summary>
[GenerateSerializer, Immutable, Alias("lifeline.SampleChange")]
public readonly record struct SampleChange(
    [property: Id(0)] long Sequence,
    [property: Id(1)] Measure Measure,
    [property: Id(2)] int SupportType,
    [property: Id(3)] long TimeMs,
    [property: Id(4)] long Value,
    [property: Id(5)] int Count);

/// <summary>A signed closed activity interval of one worker.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.IntervalChange")]
public readonly record struct IntervalChange(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string WorkerSid,
    [property: Id(2)] string Team,
    [property: Id(3)] string Activity,
    [property: Id(4)] long StartMs,
    [property: Id(5)] long EndMs,
    [property: Id(6)] int Count);

/// <summary>A worker's open (current) activity appearing or going away.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.OpenActivityChange")]
public readonly record struct OpenActivityChange(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string WorkerSid,
    [property: Id(2)] string Team,
    [property: Id(3)] string Activity,
    [property: Id(4)] long StartMs,
    [property: Id(5)] bool Removed,
    [property: Id(6)] string? WorkerName);

/// <summary>A task's live status as of an event; a closed status removes it from live views.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.TaskLiveChange")]
public readonly record struct TaskLiveChange(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string TaskSid,
    [property: Id(2)] TaskLiveStatus Status,
    [property: Id(3)] long SinceMs,
    [property: Id(4)] long? CreatedMs,
    [property: Id(5)] string? TaskQueueSid,
    [property: Id(6)] string SupportType,
    [property: Id(7)] string? WorkerSid = null);

/// <summary>
/// An event that named a worker (<see cref="Domain.Lifecycle.WorkerSighting"/>): heard of at <see cref="TimeMs"/>, and
/// offered a task from <see cref="OfferedTaskQueueSid"/> when it was an offer.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.WorkerLiveChange")]
public readonly record struct WorkerLiveChange(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string WorkerSid,
    [property: Id(2)] long TimeMs,
    [property: Id(3)] string? OfferedTaskQueueSid);
