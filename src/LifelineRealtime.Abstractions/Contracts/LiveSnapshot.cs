using System.Collections.Immutable;

namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>
/// <c>GET {scope}/live</c>: the scope now, not windowed (design §5 "Live state"): tasks per status,
/// waiting tasks per queue and support type with the longest wait, workers per activity with their
/// time in it, and tasks stuck in one status past the platform's threshold.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.LiveSnapshot")]
public sealed record LiveSnapshot(
    [property: Id(0)] string Platform,
    [property: Id(1)] string Scope,
    [property: Id(2)] string Id,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] LiveTaskCounts Tasks,
    [property: Id(5)] ImmutableArray<WaitingTasks> Waiting,
    [property: Id(6)] ImmutableArray<ActivityHeadcount> Workers,
    [property: Id(7)] ImmutableArray<StuckTask> Stuck);

[GenerateSerializer, Immutable, Alias("lifeline.LiveTaskCounts")]
public sealed record LiveTaskCounts(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Reserved,
    [property: Id(2)] int Assigned,
    [property: Id(3)] int Wrapping);

/// <summary>Tasks waiting (pending or reserved) in one queue with one support type.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.WaitingTasks")]
public sealed record WaitingTasks(
    [property: Id(0)] string? TaskQueueSid,
    [property: Id(1)] string SupportType,
    [property: Id(2)] int Count,
    [property: Id(3)] double LongestWaitSeconds,
    [property: Id(4)] bool Urgent);

[GenerateSerializer, Immutable, Alias("lifeline.ActivityHeadcount")]
public sealed record ActivityHeadcount(
    [property: Id(0)] string Activity,
    [property: Id(1)] int Workers,
    [property: Id(2)] ImmutableArray<WorkerInActivity> Members);

[GenerateSerializer, Immutable, Alias("lifeline.WorkerInActivity")]
public sealed record WorkerInActivity(
    [property: Id(0)] string WorkerSid,
    [property: Id(1)] string? Name,
    [property: Id(2)] string Team,
    [property: Id(3)] double SecondsInActivity);

[GenerateSerializer, Immutable, Alias("lifeline.StuckTask")]
public sealed record StuckTask(
    [property: Id(0)] string TaskSid,
    [property: Id(1)] string Status,
    [property: Id(2)] double SecondsInStatus,
    [property: Id(3)] string? TaskQueueSid,
    [property: Id(4)] string SupportType);
