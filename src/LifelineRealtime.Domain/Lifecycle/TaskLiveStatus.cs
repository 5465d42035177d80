namespace LifelineRealtime.Domain.Lifecycle;

/// <summary>TaskRouter's task assignment statuses (../shared/twilio §4); deleted tasks report <see cref="Canceled"/>.</summary>
public enum TaskLiveStatus
{
    Pending,
    Reserved,
    Assigned,
    Wrapping,
    Completed,
    Canceled,
}

public static class TaskLiveStatuses
{
    /// <summary>
    /// Pending or reserved: the crisis supporter is still waiting for someone (a task with a known creation
    /// time is then counted as waiting, and its wait runs from creation).
    /// </summary>
    public static bool IsWaiting(this TaskLiveStatus status) => status is TaskLiveStatus.Pending or TaskLiveStatus.Reserved;
}
