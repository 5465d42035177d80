namespace LifelineRealtime.Domain.TaskRouter;

/// <summary>
/// Every TaskRouter event type we know (../shared/twilio §1.3 and the Event Streams list). The wire
/// name is kept on the event as well, so an <see cref="Unknown"/> event still says what it was.
/// </summary>
public enum TaskRouterEventType
{
    Unknown = 0,

    TaskCreated,
    TaskUpdated,
    TaskCanceled,
    TaskWrapup,
    TaskCompleted,
    TaskDeleted,
    TaskSystemDeleted,
    TaskTransferInitiated,
    TaskTransferAttemptFailed,
    TaskTransferFailed,
    TaskTransferCanceled,
    TaskTransferCompleted,

    ReservationCreated,
    ReservationAccepted,
    ReservationRejected,
    ReservationTimeout,
    ReservationCanceled,
    ReservationRescinded,
    ReservationWrapup,
    ReservationCompleted,
    ReservationFailed,

    TaskQueueEntered,
    TaskQueueTimeout,
    TaskQueueMoved,
    TaskQueueCreated,
    TaskQueueDeleted,
    TaskQueueExpressionUpdated,

    WorkerCreated,
    WorkerDeleted,
    WorkerActivityUpdate,
    WorkerAttributesUpdate,
    WorkerCapacityUpdate,
    WorkerChannelAvailabilityUpdate,

    WorkflowEntered,
    WorkflowTargetMatched,
    WorkflowTimeout,
    WorkflowSkipped,
    WorkflowRejected,
    WorkflowCreated,
    WorkflowUpdated,
    WorkflowDeleted,

    ActivityCreated,
    ActivityUpdated,
    ActivityDeleted,
    TaskChannelCreated,
    TaskChannelUpdated,
    TaskChannelDeleted,
    WorkspaceCreated,
    WorkspaceUpdated,
    WorkspaceDeleted,
}

/// <summary>Maps TaskRouter's wire names (<c>reservation.accepted</c>) to <see cref="TaskRouterEventType"/> and back.</summary>
public static class TaskRouterEventTypes
{
    private static readonly Dictionary<string, TaskRouterEventType> ByName = new(StringComparer.Ordinal)
    {
        ["task.created"] = TaskRouterEventType.TaskCreated,
        ["task.updated"] = TaskRouterEventType.TaskUpdated,
        ["task.canceled"] = TaskRouterEventType.TaskCanceled,
        ["task.wrapup"] = TaskRouterEventType.TaskWrapup,
        ["task.completed"] = TaskRouterEventType.TaskCompleted,
        ["task.deleted"] = TaskRouterEventType.TaskDeleted,
        ["task.system-deleted"] = TaskRouterEventType.TaskSystemDeleted,
        ["task.transfer-initiated"] = TaskRouterEventType.TaskTransferInitiated,
        ["task.transfer-attempt-failed"] = TaskRouterEventType.TaskTransferAttemptFailed,
        ["task.transfer-failed"] = TaskRouterEventType.TaskTransferFailed,
        ["task.transfer-canceled"] = TaskRouterEventType.TaskTransferCanceled,
        ["task.transfer-completed"] = TaskRouterEventType.TaskTransferCompleted,
        ["reservation.created"] = TaskRouterEventType.ReservationCreated,
        ["reservation.accepted"] = TaskRouterEventType.ReservationAccepted,
        ["reservation.rejected"] = TaskRouterEventType.ReservationRejected,
        ["reservation.timeout"] = TaskRouterEventType.ReservationTimeout,
        ["reservation.canceled"] = TaskRouterEventType.ReservationCanceled,
        ["reservation.rescinded"] = TaskRouterEventType.ReservationRescinded,
        ["reservation.wrapup"] = TaskRouterEventType.ReservationWrapup,
        ["reservation.completed"] = TaskRouterEventType.ReservationCompleted,
        ["reservation.failed"] = TaskRouterEventType.ReservationFailed,
        ["task-queue.entered"] = TaskRouterEventType.TaskQueueEntered,
        ["task-queue.timeout"] = TaskRouterEventType.TaskQueueTimeout,
        ["task-queue.moved"] = TaskRouterEventType.TaskQueueMoved,
        ["task-queue.created"] = TaskRouterEventType.TaskQueueCreated,
        ["task-queue.deleted"] = TaskRouterEventType.TaskQueueDeleted,
        // Callbacks spell it with a dot, Event Streams with a hyphen (../shared/twilio §2).
        ["task-queue.expression.updated"] = TaskRouterEventType.TaskQueueExpressionUpdated,
        ["task-queue.expression-updated"] = TaskRouterEventType.TaskQueueExpressionUpdated,
        ["worker.created"] = TaskRouterEventType.WorkerCreated,
        ["worker.deleted"] = TaskRouterEventType.WorkerDeleted,
        ["worker.activity.update"] = TaskRouterEventType.WorkerActivityUpdate,
        ["worker.attributes.update"] = TaskRouterEventType.WorkerAttributesUpdate,
        ["worker.capacity.update"] = TaskRouterEventType.WorkerCapacityUpdate,
        ["worker.channel.availability.update"] = TaskRouterEventType.WorkerChannelAvailabilityUpdate,
        ["workflow.entered"] = TaskRouterEventType.WorkflowEntered,
        ["workflow.target-matched"] = TaskRouterEventType.WorkflowTargetMatched,
        ["workflow.timeout"] = TaskRouterEventType.WorkflowTimeout,
        ["workflow.skipped"] = TaskRouterEventType.WorkflowSkipped,
        ["workflow.rejected"] = TaskRouterEventType.WorkflowRejected,
        ["workflow.created"] = TaskRouterEventType.WorkflowCreated,
        ["workflow.updated"] = TaskRouterEventType.WorkflowUpdated,
        ["workflow.deleted"] = TaskRouterEventType.WorkflowDeleted,
        ["activity.created"] = TaskRouterEventType.ActivityCreated,
        ["activity.updated"] = TaskRouterEventType.ActivityUpdated,
        ["activity.deleted"] = TaskRouterEventType.ActivityDeleted,
        ["task-channel.created"] = TaskRouterEventType.TaskChannelCreated,
        ["task-channel.updated"] = TaskRouterEventType.TaskChannelUpdated,
        ["task-channel.deleted"] = TaskRouterEventType.TaskChannelDeleted,
        ["workspace.created"] = TaskRouterEventType.WorkspaceCreated,
        ["workspace.updated"] = TaskRouterEventType.WorkspaceUpdated,
        ["workspace.deleted"] = TaskRouterEventType.WorkspaceDeleted,
    };

    /// <summary>The wire names we recognise.</summary>
    public static IReadOnlyCollection<string> KnownNames => ByName.Keys;

    /// <summary>The type for a wire name, or <see cref="TaskRouterEventType.Unknown"/>.</summary>
    public static TaskRouterEventType Parse(string? name) =>
        name is not null && ByName.TryGetValue(name, out var type) ? type : TaskRouterEventType.Unknown;

    public static bool IsTaskLifecycle(this TaskRouterEventType type) =>
        type is >= TaskRouterEventType.TaskCreated and <= TaskRouterEventType.TaskTransferCompleted;

    public static bool IsReservation(this TaskRouterEventType type) =>
        type is >= TaskRouterEventType.ReservationCreated and <= TaskRouterEventType.ReservationFailed;

    public static bool IsTransfer(this TaskRouterEventType type) =>
        type is >= TaskRouterEventType.TaskTransferInitiated and <= TaskRouterEventType.TaskTransferCompleted;
}
