using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Snapshots;

/// <summary>
/// One journaled event of a task, as an admin fixing a stuck task reads it: where it sits in the journal, what it was,
/// when, and the Sids and status it names. <see cref="TaskAttributes"/> is the task's attributes as the event carried
/// them (personal information: only for roles that may see CS names).
/// </summary>
public sealed record TaskEventInfo(
    long Sequence,
    string EventSid,
    string EventType,
    DateTimeOffset At,
    string? ReservationSid,
    string? WorkerSid,
    string? TaskQueueSid,
    string? AssignmentStatus,
    string? TaskAttributes)
{
    public static TaskEventInfo From(TaskRouterEvent e, long sequence)
    {
        ArgumentNullException.ThrowIfNull(e);
        var task = e.TaskOf();
        var reservation = e as ReservationEvent;
        return new TaskEventInfo(
            sequence,
            e.Sid,
            e.EventType,
            DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs),
            reservation?.ReservationSid,
            reservation?.Worker?.Sid,
            task?.TaskQueueSid,
            task?.AssignmentStatus,
            task is null || ReferenceEquals(task.Attributes, TaskRouterAttributes.Empty) ? null : task.Attributes.Json);
    }
}
