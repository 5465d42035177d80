using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Domain.Lifecycle;

/// <summary>Why a task is stuck; a task may be stuck for more than one reason at once.</summary>
[Flags]
public enum StuckReasons
{
    None = 0,

    /// <summary>Pending, reserved or wrapping longer than that status's <c>StuckThresholds</c> entry.</summary>
    InStatusTooLong = 1,

    /// <summary>Pending while at least one worker eligible for its queue is available, past <c>StuckThresholds:PendingWhileAvailable</c>.</summary>
    PendingWhileWorkersAvailable = 2,

    /// <summary>Assigned while its worker has sent no event since, past <c>StuckThresholds:AcceptedWithoutWorkerEvent</c>.</summary>
    AcceptedWithoutWorkerEvent = 4,
}

/// <summary>
/// The verdict on one open task: its reasons, and since when each condition has held (a condition is stuck once it
/// has held longer than its threshold; exactly at the threshold it is not).
/// </summary>
public readonly record struct StuckVerdict(StuckReasons Reasons, long InStatusSinceMs, int AvailableWorkers, long AvailableSinceMs, long SilentSinceMs)
{
    public bool IsStuck => Reasons != StuckReasons.None;

    /// <summary>The earliest start among its reasons' conditions: the stuck list is ordered by it, longest stuck first.</summary>
    public long SinceMs
    {
        get
        {
            var since = long.MaxValue;
            if ((Reasons & StuckReasons.InStatusTooLong) != 0)
            {
                since = Math.Min(since, InStatusSinceMs);
            }

            if ((Reasons & StuckReasons.PendingWhileWorkersAvailable) != 0)
            {
                since = Math.Min(since, AvailableSinceMs);
            }

            if ((Reasons & StuckReasons.AcceptedWithoutWorkerEvent) != 0)
            {
                since = Math.Min(since, SilentSinceMs);
            }

            return since;
        }
    }
}

/// <summary>
/// The stuck rules, the only copy (the live registry and its offline fold both ask here). Plain arithmetic on what
/// the registry holds, so judging every open task on every tick allocates nothing.
/// </summary>
public static class StuckRules
{
    /// <summary>
    /// A worker counts as available for a pending task when its current activity is one of the platform's
    /// <c>AvailableActivities</c> and it holds no task (no pending reservation, no assigned or wrapping task).
    /// Capacity beyond one task per worker (chat) is not in the events we rely on, so a worker with one task is busy.
    /// </summary>
    public static bool IsAvailable(PlatformSettings settings, string? activity, bool holdsTask)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return !holdsTask && settings.IsAvailableActivity(activity);
    }

    /// <summary>
    /// Judges one open task as of <paramref name="nowMs"/>.
    /// <list type="bullet">
    /// <item><b>in status too long</b>: <see cref="PlatformSettings.IsStuck"/> on the time since <paramref name="sinceMs"/>.</item>
    /// <item><b>pending while workers are available</b>: pending, and <paramref name="availableWorkers"/> &gt; 0 eligible
    /// workers available now; the condition runs from the later of the task becoming pending and
    /// <paramref name="availableSinceMs"/> (when the longest-available of those workers last had an event: its
    /// switch to an available activity, or the end of its last reservation).</item>
    /// <item><b>accepted without worker event</b>: assigned, and its worker's latest event (<paramref name="workerLastEventMs"/>,
    /// null when no worker is known) is the acceptance or earlier; the condition runs from the later of the two.</item>
    /// </list>
    /// </summary>
    public static StuckVerdict Judge(
        PlatformSettings settings, TaskLiveStatus status, long sinceMs, long nowMs, int availableWorkers, long availableSinceMs, long? workerLastEventMs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var reasons = StuckReasons.None;
        if (settings.IsStuck(status, nowMs - sinceMs))
        {
            reasons |= StuckReasons.InStatusTooLong;
        }

        long availableSince = 0;
        if (status == TaskLiveStatus.Pending && availableWorkers > 0)
        {
            availableSince = Math.Max(sinceMs, availableSinceMs);
            if (nowMs - availableSince > settings.StuckPendingWhileAvailableMs)
            {
                reasons |= StuckReasons.PendingWhileWorkersAvailable;
            }
        }

        long silentSince = 0;
        if (status == TaskLiveStatus.Assigned && workerLastEventMs is { } lastEvent)
        {
            silentSince = Math.Max(sinceMs, lastEvent);
            if (nowMs - silentSince > settings.StuckAcceptedWithoutWorkerEventMs)
            {
                reasons |= StuckReasons.AcceptedWithoutWorkerEvent;
            }
        }

        return new StuckVerdict(reasons, sinceMs, (reasons & StuckReasons.PendingWhileWorkersAvailable) != 0 ? availableWorkers : 0, availableSince, silentSince);
    }

    /// <summary>The wire name of one reason, as the API and the pages show it.</summary>
    public static string Name(StuckReasons reason) => reason switch
    {
        StuckReasons.InStatusTooLong => "in_status_too_long",
        StuckReasons.PendingWhileWorkersAvailable => "pending_while_workers_available",
        StuckReasons.AcceptedWithoutWorkerEvent => "accepted_without_worker_event",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "one reason at a time"),
    };
}
