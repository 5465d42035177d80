using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Lifecycle;

/// <summary>
/// An event that names a worker: when the worker was last heard of, and, for an offer, the queue it was offered a
/// task from. <see cref="OfferedTaskQueueSid"/> is what makes a worker eligible for a queue: TaskRouter's routing
/// (the workflow and the queue's target expression, which we do not evaluate) chose that worker for that queue.
/// </summary>
public readonly record struct WorkerSighting(string WorkerSid, long TimeMs, string? OfferedTaskQueueSid);

public static class WorkerSightings
{
    /// <summary>
    /// The one rule for both flags that need a worker's events: every <c>worker.*</c> event and every reservation
    /// event of the worker is a sign of it (and a <c>task.transfer-*</c> it initiated); a <c>reservation.created</c>
    /// carrying a queue also says the worker is eligible for that queue. Null for an event naming no worker.
    /// </summary>
    public static WorkerSighting? SightingOf(this TaskRouterEvent taskRouterEvent) => taskRouterEvent switch
    {
        WorkerEvent e => new WorkerSighting(e.Worker.Sid, e.TimestampMs, null),
        ReservationEvent { Worker: { } worker } e => new WorkerSighting(
            worker.Sid, e.TimestampMs, e.Type == TaskRouterEventType.ReservationCreated ? e.Task.TaskQueueSid : null),
        TransferEvent { TransferInitiatingWorkerSid: { Length: > 0 } worker } e => new WorkerSighting(worker, e.TimestampMs, null),
        _ => null,
    };
}
