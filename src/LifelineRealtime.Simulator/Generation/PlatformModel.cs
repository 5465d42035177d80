namespace LifelineRealtime.Simulator.Generation;

internal sealed record QueueModel(string SupportType, string Sid, string Name, string TargetExpression);

internal sealed record ActivityModel(string Name, string Sid, bool Available);

/// <summary>A simulated worker and its live state.</summary>
internal sealed class WorkerState
{
    public required int Index { get; init; }

    public required string Sid { get; init; }

    /// <summary>TaskRouter friendly name: the worker's e-mail, as Flex SSO sets it.</summary>
    public required string FriendlyName { get; init; }

    public required string FullName { get; init; }

    public required string AttributesJson { get; init; }

    public required HashSet<string> Skills { get; init; }

    public required int Capacity { get; init; }

    public required ActivityModel Activity { get; set; }

    /// <summary>Owned by event release: the last <c>WorkerVersion</c> written.</summary>
    public long Version { get; set; }

    /// <summary>Reservations pending or accepted (not yet wrapping) on this worker.</summary>
    public int Active { get; set; }

    public long IdleSinceMs { get; set; }

    /// <summary>An activity change asked for while busy: applied when the last task is released;
    /// meanwhile the worker gets no new offers.</summary>
    public ActivityModel? Deferred { get; set; }

    public bool InShift { get; set; }

    /// <summary>Owned by event release: the activity the emitted events have reported so far.</summary>
    public required ActivityModel ReleasedActivity { get; set; }

    public long ReleasedSinceMs { get; set; }
}

internal enum ReservationStatus
{
    Pending,
    Accepted,
    Rejected,
    TimedOut,
    Canceled,
    Wrapping,
    Completed,
}

internal sealed class ReservationState
{
    public required string Sid { get; init; }

    public required TaskState Task { get; init; }

    public required WorkerState Worker { get; init; }

    public ReservationStatus Status { get; set; }

    /// <summary>Owned by event release.</summary>
    public long Version { get; set; } = -1;
}

/// <summary>A simulated task: its live state plus what the ground truth reports about it.</summary>
internal sealed class TaskState
{
    public required string Sid { get; init; }

    public required long Seq { get; init; }

    public required string SupportType { get; init; }

    public required QueueModel Queue { get; init; }

    public required string AttributesJson { get; init; }

    public required long CreatedMs { get; init; }

    public required bool Urgent { get; init; }

    public required string CustomerName { get; init; }

    public long? QueueEnteredMs { get; set; }

    /// <summary>Decision state: <c>pending</c>, <c>reserved</c>, <c>assigned</c>, <c>wrapping</c>, <c>completed</c>, <c>canceled</c>.</summary>
    public string Status { get; set; } = "pending";

    public bool InQueue { get; set; }

    public ReservationState? Offer { get; set; }

    public long? FirstAcceptedMs { get; set; }

    public HashSet<WorkerState> Excluded { get; } = [];

    /// <summary>Set once a transfer (native or chat) has been decided; a task transfers at most once.</summary>
    public bool TransferDecided { get; set; }

    /// <summary>Owned by event release: the status the emitted events have reported so far.</summary>
    public string ReleasedStatus { get; set; } = "pending";

    /// <summary>Owned by event release: whether <c>task-queue.entered</c> has been emitted.</summary>
    public bool QueueReleased { get; set; }

    /// <summary>Owned by event release: the last <c>TaskVersion</c> written.</summary>
    public long Version { get; set; } = -1;

    /// <summary>Owned by event release: the expectation as the emitted events tell it.</summary>
    public required TaskExpectation Expectation { get; set; }
}
