namespace LifelineRealtime.Domain.TaskRouter.Parsing;

/// <summary>
/// The name of each event field in one wire format. Callbacks use PascalCase form fields; Event Streams
/// and the Events REST resource use snake_case (../shared/twilio §1.2, §2, §6.1). One table per format
/// lets a single reader build every record the same way whatever the wire.
/// </summary>
internal sealed class WireNames
{
    public static readonly WireNames Form = new()
    {
        Sid = "Sid",
        EventType = "EventType",
        AccountSid = "AccountSid",
        WorkspaceSid = "WorkspaceSid",
        ResourceType = "ResourceType",
        ResourceSid = "ResourceSid",
        TimestampMs = "TimestampMs",
        TimestampSeconds = "Timestamp",
        TaskSid = "TaskSid",
        TaskAttributes = "TaskAttributes",
        TaskQueueSid = "TaskQueueSid",
        TaskQueueName = "TaskQueueName",
        TaskQueueTargetExpression = "TaskQueueTargetExpression",
        PreviousTaskQueueSid = "PreviousTaskQueueSid",
        WorkflowSid = "WorkflowSid",
        TaskAssignmentStatus = "TaskAssignmentStatus",
        TaskAge = "TaskAge",
        TaskPriority = "TaskPriority",
        TaskVersion = "TaskVersion",
        TaskChannelUniqueName = "TaskChannelUniqueName",
        TaskCanceledReason = "TaskCanceledReason",
        TaskCompletedReason = "TaskCompletedReason",
        TaskDateCreated = "TaskDateCreated",
        TaskQueueEnteredDate = "TaskQueueEnteredDate",
        ReservationSid = "ReservationSid",
        ReservationVersion = "ReservationVersion",
        WorkerSid = "WorkerSid",
        WorkerName = "WorkerName",
        WorkerAttributes = "WorkerAttributes",
        WorkerActivitySid = "WorkerActivitySid",
        WorkerActivityName = "WorkerActivityName",
        WorkerVersion = "WorkerVersion",
        WorkerPreviousActivitySid = "WorkerPreviousActivitySid",
        WorkerPreviousActivityName = "WorkerPreviousActivityName",
        WorkerTimeInPreviousActivityMs = "WorkerTimeInPreviousActivityMs",
        WorkerTimeInPreviousActivitySeconds = "WorkerTimeInPreviousActivity",
        TransferMode = "TransferMode",
        TransferType = "TransferType",
        TransferTo = "TransferTo",
        TransferStatus = "TransferStatus",
        TransferInitiatingReservationSid = "TransferInitiatingReservationSid",
        TransferInitiatingWorkerSid = "TransferInitiatingWorkerSid",
        TaskTransferSid = "TaskTransferSid",
    };

    public static readonly WireNames SnakeCase = new()
    {
        Sid = "sid",
        EventType = "eventtype",
        AccountSid = "account_sid",
        WorkspaceSid = "workspace_sid",
        ResourceType = "resource_type",
        ResourceSid = "resource_sid",
        TimestampMs = "timestamp_ms",
        TimestampSeconds = "timestamp",
        TaskSid = "task_sid",
        TaskAttributes = "task_attributes",
        TaskQueueSid = "task_queue_sid",
        TaskQueueName = "task_queue_name",
        TaskQueueTargetExpression = "task_queue_target_expression",
        PreviousTaskQueueSid = "previous_task_queue_sid",
        WorkflowSid = "workflow_sid",
        TaskAssignmentStatus = "task_assignment_status",
        TaskAge = "task_age",
        TaskPriority = "task_priority",
        TaskVersion = "task_version",
        TaskChannelUniqueName = "task_channel_unique_name",
        TaskCanceledReason = "task_canceled_reason",
        TaskCompletedReason = "task_completed_reason",
        TaskDateCreated = "task_date_created",
        TaskQueueEnteredDate = "task_queue_entered_date",
        ReservationSid = "reservation_sid",
        ReservationVersion = "reservation_version",
        WorkerSid = "worker_sid",
        WorkerName = "worker_name",
        WorkerAttributes = "worker_attributes",
        WorkerActivitySid = "worker_activity_sid",
        WorkerActivityName = "worker_activity_name",
        WorkerVersion = "worker_version",
        WorkerPreviousActivitySid = "worker_previous_activity_sid",
        WorkerPreviousActivityName = "worker_previous_activity_name",
        WorkerTimeInPreviousActivityMs = "worker_time_in_previous_activity_ms",
        WorkerTimeInPreviousActivitySeconds = "worker_time_in_previous_activity",
        TransferMode = "transfer_mode",
        TransferType = "transfer_type",
        TransferTo = "transfer_to",
        TransferStatus = "transfer_status",
        TransferInitiatingReservationSid = "transfer_initiating_reservation_sid",
        TransferInitiatingWorkerSid = "transfer_initiating_worker_sid",
        TaskTransferSid = "task_transfer_sid",
    };

    public required string Sid { get; init; }
    public required string EventType { get; init; }
    public required string AccountSid { get; init; }
    public required string WorkspaceSid { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceSid { get; init; }
    public required string TimestampMs { get; init; }
    public required string TimestampSeconds { get; init; }
    public required string TaskSid { get; init; }
    public required string TaskAttributes { get; init; }
    public required string TaskQueueSid { get; init; }
    public required string TaskQueueName { get; init; }
    public required string TaskQueueTargetExpression { get; init; }
    public required string PreviousTaskQueueSid { get; init; }
    public required string WorkflowSid { get; init; }
    public required string TaskAssignmentStatus { get; init; }
    public required string TaskAge { get; init; }
    public required string TaskPriority { get; init; }
    public required string TaskVersion { get; init; }
    public required string TaskChannelUniqueName { get; init; }
    public required string TaskCanceledReason { get; init; }
    public required string TaskCompletedReason { get; init; }
    public required string TaskDateCreated { get; init; }
    public required string TaskQueueEnteredDate { get; init; }
    public required string ReservationSid { get; init; }
    public required string ReservationVersion { get; init; }
    public required string WorkerSid { get; init; }
    public required string WorkerName { get; init; }
    public required string WorkerAttributes { get; init; }
    public required string WorkerActivitySid { get; init; }
    public required string WorkerActivityName { get; init; }
    public required string WorkerVersion { get; init; }
    public required string WorkerPreviousActivitySid { get; init; }
    public required string WorkerPreviousActivityName { get; init; }
    public required string WorkerTimeInPreviousActivityMs { get; init; }
    public required string WorkerTimeInPreviousActivitySeconds { get; init; }
    public required string TransferMode { get; init; }
    public required string TransferType { get; init; }
    public required string TransferTo { get; init; }
    public required string TransferStatus { get; init; }
    public required string TransferInitiatingReservationSid { get; init; }
    public required string TransferInitiatingWorkerSid { get; init; }
    public required string TaskTransferSid { get; init; }
}
