using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Host.Ingest;

/// <summary>Which of ingest's checks an event failed.</summary>
public enum AdmissionRefusal
{
    /// <summary>An event time outside the <see cref="EventTimeWindow"/>.</summary>
    EventTime,

    /// <summary>An event of another workspace than the platform's.</summary>
    WrongWorkspace,
}

/// <summary>
/// The checks every event passes before it is journaled, whichever way it came (a webhook, or read back by backfill):
/// its times inside the <see cref="EventTimeWindow"/>, and its workspace the platform's. One rule, one place.
/// </summary>
public static class EventAdmission
{
    /// <summary>A token signs for its whole account, and an account may hold several workspaces: an event must still belong to this platform's.</summary>
    public static bool IsOfWorkspace(PlatformOptions platform, TaskRouterEvent e)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(e);
        return string.Equals(e.WorkspaceSid, platform.WorkspaceSid, StringComparison.Ordinal);
    }

    /// <summary>Why <paramref name="e"/> may not be journaled for <paramref name="platform"/> at host time <paramref name="nowMs"/>, or null when it may.</summary>
    public static (AdmissionRefusal Refusal, string Message)? Check(PlatformOptions platform, TaskRouterEvent e, EventTimeWindow eventTimes, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(eventTimes);
        if (eventTimes.Check(e, nowMs) is { } violation)
        {
            return (AdmissionRefusal.EventTime, violation.Message);
        }

        return IsOfWorkspace(platform, e) ? null : (AdmissionRefusal.WrongWorkspace, $"the event is not of the workspace of platform '{platform.Id}'");
    }
}
