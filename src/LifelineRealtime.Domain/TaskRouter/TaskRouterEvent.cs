using System.Collections.Immutable;

namespace LifelineRealtime.Domain.TaskRouter;

/// <summary>
/// One TaskRouter event, from any wire format (workspace callback form, Event Streams CloudEvent,
/// Events REST resource). Immutable. The event Sid (<c>EV…</c>) is the deduplication key across all
/// channels; <see cref="TimestampMs"/> is Twilio's clock and the only time metrics use.
/// </summary>
public abstract record TaskRouterEvent
{
    /// <summary>Event Sid, <c>EV</c> + 32 hex.</summary>
    public required string Sid { get; init; }

    /// <summary>The wire name, e.g. <c>reservation.accepted</c>; kept for unknown types.</summary>
    public required string EventType { get; init; }

    public required TaskRouterEventType Type { get; init; }

    public required string AccountSid { get; init; }

    public required string WorkspaceSid { get; init; }

    /// <summary>Lower-case resource type: <c>task</c>, <c>reservation</c>, <c>worker</c>, <c>transfer</c>…</summary>
    public string? ResourceType { get; init; }

    public string? ResourceSid { get; init; }

    /// <summary>Event time in Unix milliseconds (callback <c>TimestampMs</c>, REST <c>event_date_ms</c>,
    /// Event Streams <c>data.payload.timestamp</c>).</summary>
    public required long TimestampMs { get; init; }
}

/// <summary>The task fields carried by task, reservation, transfer and task-queue events.</summary>
public sealed record TaskInfo
{
    /// <summary>Task Sid, <c>WT</c> + 32 hex.</summary>
    public required string Sid { get; init; }

    public TaskRouterAttributes Attributes { get; init; } = TaskRouterAttributes.Empty;

    /// <summary><c>WQ…</c>; absent on <c>task.created</c>.</summary>
    public string? TaskQueueSid { get; init; }

    public string? TaskQueueName { get; init; }

    public string? WorkflowSid { get; init; }

    /// <summary><c>pending</c>, <c>reserved</c>, <c>assigned</c>, <c>wrapping</c>, <c>completed</c>, <c>canceled</c>.</summary>
    public string? AssignmentStatus { get; init; }

    /// <summary>Seconds since creation.</summary>
    public long? Age { get; init; }

    public int? Priority { get; init; }

    /// <summary>Monotonic per task (our inference); helps order events with equal timestamps.</summary>
    public long? Version { get; init; }

    /// <summary><c>voice</c>, <c>chat</c>, <c>sms</c>, <c>default</c>…</summary>
    public string? TaskChannelUniqueName { get; init; }

    public string? CanceledReason { get; init; }

    public string? CompletedReason { get; init; }

    /// <summary>Task creation time, Unix milliseconds (callback <c>TaskDateCreated</c> is in seconds).</summary>
    public long? DateCreatedMs { get; init; }

    /// <summary>When the task entered its current queue, Unix milliseconds.</summary>
    public long? TaskQueueEnteredDateMs { get; init; }
}

/// <summary>The worker fields carried by worker and reservation events.</summary>
public sealed record WorkerInfo
{
    /// <summary>Worker Sid, <c>WK</c> + 32 hex.</summary>
    public required string Sid { get; init; }

    /// <summary>The worker's friendly name (personal information).</summary>
    public string? Name { get; init; }

    public TaskRouterAttributes Attributes { get; init; } = TaskRouterAttributes.Empty;

    public string? ActivitySid { get; init; }

    public string? ActivityName { get; init; }

    public long? Version { get; init; }
}

/// <summary><c>task.*</c> (but transfers), <c>task-queue.entered|moved|timeout</c> and <c>workflow.entered|target-matched|timeout|skipped</c>.</summary>
public sealed record TaskEvent : TaskRouterEvent
{
    public required TaskInfo Task { get; init; }

    /// <summary>The queue a <c>task-queue.moved</c> left (Event Streams <c>previous_task_queue_sid</c>).</summary>
    public string? PreviousTaskQueueSid { get; init; }
}

/// <summary><c>reservation.*</c>. <see cref="Worker"/> is null only on <c>reservation.failed</c>.</summary>
public sealed record ReservationEvent : TaskRouterEvent
{
    public required TaskInfo Task { get; init; }

    /// <summary>Reservation Sid, <c>WR</c> + 32 hex.</summary>
    public required string ReservationSid { get; init; }

    public long? ReservationVersion { get; init; }

    public WorkerInfo? Worker { get; init; }
}

/// <summary><c>task.transfer-*</c>: a native TaskRouter transfer (the task keeps its Sid).</summary>
public sealed record TransferEvent : TaskRouterEvent
{
    public required TaskInfo Task { get; init; }

    /// <summary><c>WARM</c> or <c>COLD</c>.</summary>
    public string? TransferMode { get; init; }

    /// <summary><c>WORKER</c> or <c>QUEUE</c>.</summary>
    public string? TransferType { get; init; }

    public string? TransferTo { get; init; }

    public string? TransferStatus { get; init; }

    public string? TransferInitiatingReservationSid { get; init; }

    public string? TransferInitiatingWorkerSid { get; init; }

    /// <summary><c>TT…</c></summary>
    public string? TaskTransferSid { get; init; }
}

/// <summary><c>worker.*</c>, including <c>worker.activity.update</c> with the interval it closes.</summary>
public sealed record WorkerEvent : TaskRouterEvent
{
    public required WorkerInfo Worker { get; init; }

    public string? PreviousActivitySid { get; init; }

    public string? PreviousActivityName { get; init; }

    /// <summary>Time spent in the previous activity, milliseconds (<c>WorkerTimeInPreviousActivityMs</c>;
    /// falls back to the seconds field × 1000 when only that is present).</summary>
    public long? TimeInPreviousActivityMs { get; init; }
}

/// <summary>Configuration events: <c>task-queue.created|deleted|expression.updated</c>.</summary>
public sealed record TaskQueueEvent : TaskRouterEvent
{
    public required string TaskQueueSid { get; init; }

    public string? TaskQueueName { get; init; }

    public string? TargetExpression { get; init; }
}

/// <summary>Workflow, activity, task-channel and workspace configuration events: journaled, not measured.</summary>
public sealed record ConfigurationEvent : TaskRouterEvent;

/// <summary>
/// An event type we do not know. It is journaled and counted (<c>lifeline.ingest.unknown_events</c>),
/// never an error, and changes no metric (design §6.3).
/// </summary>
public sealed record UnknownEvent : TaskRouterEvent
{
    /// <summary>The fields as received (form names, or the Event Streams payload's top-level keys).</summary>
    public ImmutableSortedDictionary<string, string> Fields { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
