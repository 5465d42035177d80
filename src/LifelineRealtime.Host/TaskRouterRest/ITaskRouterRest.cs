using System.Collections.Immutable;

namespace LifelineRealtime.Host.TaskRouterRest;

/// <summary>
/// The calls the engine makes to a platform's TaskRouter workspace over REST (twilio README §6): read events back
/// (backfill), read a queue's cumulative statistics (reconciliation), and fetch and fix a task. Every failure is a
/// <see cref="TaskRouterRestException"/> saying why.
/// </summary>
public interface ITaskRouterRest
{
    /// <summary>One task as TaskRouter holds it now, with the ETag a later <see cref="UpdateTaskAsync"/> must match.</summary>
    Task<TaskRouterTask> FetchTaskAsync(string platformId, string taskSid, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels or completes a task with a reason, only if it is still at <paramref name="ifMatch"/> (its ETag): a
    /// concurrent change fails with <see cref="TaskRouterFailure.Conflict"/> and changes nothing. Never retried on
    /// a 5xx, as the change may have been made.
    /// </summary>
    Task<TaskRouterTask> UpdateTaskAsync(string platformId, string taskSid, TaskFix fix, string reason, string ifMatch, CancellationToken cancellationToken);

    /// <summary>
    /// The workspace's events with event time in [<paramref name="from"/>, <paramref name="to"/>), page by page, each
    /// event as the JSON text of its resource; follows <c>meta.next_page_url</c>, never <c>Page</c>.
    /// </summary>
    IAsyncEnumerable<TaskRouterEventsPage> ReadEventsAsync(string platformId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The workspace's task queues.</summary>
    Task<ImmutableArray<TaskRouterQueue>> ListQueuesAsync(string platformId, CancellationToken cancellationToken);

    /// <summary>A queue's cumulative statistics for [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<TaskQueueStatistics> FetchQueueStatisticsAsync(string platformId, string taskQueueSid, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>The fixes an admin may make to a stuck task.</summary>
public enum TaskFix
{
    Cancel,
    Complete,
}

/// <summary>A task as TaskRouter answers it: its status, queue, attributes (JSON text) and ETag.</summary>
public sealed record TaskRouterTask(string Sid, string AssignmentStatus, string? TaskQueueSid, string? Attributes, string? ETag);

/// <summary>One page of events: each event's JSON text, and whether another page follows.</summary>
public sealed record TaskRouterEventsPage(int Page, ImmutableArray<string> Events, bool HasNext);

/// <summary>A task queue of the workspace.</summary>
public sealed record TaskRouterQueue(string Sid, string FriendlyName);

/// <summary>
/// A queue's cumulative statistics as TaskRouter reports them (twilio README §6.3): counts, and the total wait
/// until accepted in seconds, for the period it says it covers.
/// </summary>
public sealed record TaskQueueStatistics(
    string TaskQueueSid,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    long TasksEntered,
    long TasksCanceled,
    long TasksCompleted,
    long ReservationsCreated,
    long ReservationsAccepted,
    long ReservationsRejected,
    long ReservationsTimedOut,
    double WaitDurationUntilAcceptedTotalSeconds);
