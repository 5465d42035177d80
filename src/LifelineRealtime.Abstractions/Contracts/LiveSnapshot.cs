using System.Collections.Immutable;

namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>
/// <c>GET {scope}/live</c>: the scope now, not windowed (design §5 "Live state"): tasks per status,
/// waiting tasks per queue and support type with the longest wait, workers per activity with their
/// time in it, and tasks stuck in one status past the platform's threshold.
/// </summary>
/// <remarks>
/// Counts are exact and cover every open task; lists are capped at <see cref="MaxListed"/> entries
/// (<c>Lifeline:Live:MaxListed</c>), so the answer stays small however many tasks are open. Each capped list
/// has its total beside it: <see cref="Waiting"/> / <see cref="WaitingTotal"/>, <see cref="LongestWaiting"/> /
/// <see cref="LongestWaitingTotal"/>, <see cref="Stuck"/> / <see cref="StuckTotal"/>, and each activity's
/// <see cref="ActivityHeadcount.Members"/> / <see cref="ActivityHeadcount.Workers"/>.
/// </remarks>
[GenerateSerializer, Immutable, Alias("lifeline.LiveSnapshot")]
public sealed record LiveSnapshot(
    [property: Id(0)] string Platform,
    [property: Id(1)] string Scope,
    [property: Id(2)] string Id,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] LiveTaskCounts Tasks,
    [property: Id(8)] int MaxListed,
    // Queue and support type groups, longest wait first.
    [property: Id(5)] ImmutableArray<WaitingTasks> Waiting,
    [property: Id(9)] int WaitingTotal,
    // The tasks waiting longest, longest first.
    [property: Id(10)] ImmutableArray<WaitingTask> LongestWaiting,
    [property: Id(11)] int LongestWaitingTotal,
    [property: Id(6)] ImmutableArray<ActivityHeadcount> Workers,
    // Longest in its status first.
    [property: Id(7)] ImmutableArray<StuckTask> Stuck,
    [property: Id(12)] int StuckTotal);

/// <summary>
/// Open tasks of the scope per status, and in all: <see cref="Waiting"/> (pending or reserved with a known
/// creation time, the tasks the waiting lists cover), <see cref="Stuck"/> and <see cref="UrgentWaiting"/>
/// (waiting with an urgent support type); per support type in <see cref="BySupportType"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.LiveTaskCounts")]
public sealed record LiveTaskCounts(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Reserved,
    [property: Id(2)] int Assigned,
    [property: Id(3)] int Wrapping,
    [property: Id(4)] int Waiting,
    [property: Id(5)] int Stuck,
    [property: Id(6)] int UrgentWaiting,
    [property: Id(7)] ImmutableSortedDictionary<string, LiveSupportTypeCounts> BySupportType);

/// <summary>The open tasks of one support type; <see cref="LongestWaitSeconds"/> is null when none waits.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.LiveSupportTypeCounts")]
public sealed record LiveSupportTypeCounts(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Reserved,
    [property: Id(2)] int Assigned,
    [property: Id(3)] int Wrapping,
    [property: Id(4)] int Waiting,
    [property: Id(5)] int Stuck,
    [property: Id(6)] double? LongestWaitSeconds,
    [property: Id(7)] bool Urgent);

/// <summary>Tasks waiting (pending or reserved) in one queue with one support type.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.WaitingTasks")]
public sealed record WaitingTasks(
    [property: Id(0)] string? TaskQueueSid,
    [property: Id(1)] string SupportType,
    [property: Id(2)] int Count,
    [property: Id(3)] double LongestWaitSeconds,
    [property: Id(4)] bool Urgent);

/// <summary>One waiting (pending or reserved) task and how long it has waited since it was created.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.WaitingTask")]
public sealed record WaitingTask(
    [property: Id(0)] string TaskSid,
    [property: Id(1)] string Status,
    [property: Id(2)] double WaitSeconds,
    [property: Id(3)] string? TaskQueueSid,
    [property: Id(4)] string SupportType,
    [property: Id(5)] bool Urgent);

/// <summary>Workers in one activity: <see cref="Workers"/> counts them all, <see cref="Members"/> lists the longest in it first.</summary>
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

/// <summary>
/// A stuck task: why (<see cref="Reasons"/>, one or more) and since when (<see cref="Since"/>, the earliest start of
/// its reasons' conditions; the stuck list is ordered by it, longest stuck first).
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.StuckTask")]
public sealed record StuckTask(
    [property: Id(0)] string TaskSid,
    [property: Id(1)] string Status,
    [property: Id(2)] double SecondsInStatus,
    [property: Id(3)] string? TaskQueueSid,
    [property: Id(4)] string SupportType,
    [property: Id(5)] ImmutableArray<StuckReason> Reasons,
    [property: Id(6)] DateTimeOffset Since,
    [property: Id(7)] string? WorkerSid);

/// <summary>
/// One reason a task is stuck: <see cref="Reason"/> is <c>in_status_too_long</c>, <c>pending_while_workers_available</c>
/// (with <see cref="Workers"/>, the eligible workers available now) or <c>accepted_without_worker_event</c>; its
/// condition has held since <see cref="Since"/>, <see cref="Seconds"/> as of the answer's time.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.StuckReason")]
public sealed record StuckReason(
    [property: Id(0)] string Reason,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] double Seconds,
    [property: Id(3)] int? Workers);
