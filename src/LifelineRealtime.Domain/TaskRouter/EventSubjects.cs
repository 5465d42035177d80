using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Domain.TaskRouter;

/// <summary>
/// What an event is about: the task it belongs to, the worker it names, and every queue, team and worker
/// scope it shows exists. The one place that answers "which task is this event for", used by the journal
/// (its task and worker columns), the dispatcher (which grain gets it), the lifecycle and the offline fold.
/// </summary>
public static class EventSubjects
{
    /// <summary>The task of a task, reservation, transfer or task-queue event; null for worker and configuration events.</summary>
    public static TaskInfo? TaskOf(this TaskRouterEvent e) => e switch
    {
        TaskEvent t => t.Task,
        ReservationEvent r => r.Task,
        TransferEvent t => t.Task,
        _ => null,
    };

    /// <summary>The worker a worker or reservation event names (a <c>reservation.failed</c> names none).</summary>
    public static WorkerInfo? WorkerOf(this TaskRouterEvent e) => e switch
    {
        WorkerEvent w => w.Worker,
        ReservationEvent r => r.Worker,
        _ => null,
    };

    /// <summary>
    /// Every queue, team and worker scope the event names, whether or not it changes a metric there: the
    /// task's queue, the queue a <c>task-queue.moved</c> left, a queue's configuration event, the worker and
    /// the worker's team (<see cref="PlatformSettings.TeamOf"/>, so a worker without one names the unassigned
    /// team, as its statistics do), and a transfer's initiating worker and target queue or worker (their
    /// teams are not in the event). A scope Twilio has shown is a known scope: it answers with zeros until its
    /// first measure.
    /// </summary>
    public static void AddScopesNamed(this TaskRouterEvent e, PlatformSettings settings, ICollection<ScopeKey> scopes)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scopes);
        AddQueue(e.TaskOf()?.TaskQueueSid, scopes);
        AddQueue((e as TaskEvent)?.PreviousTaskQueueSid, scopes);
        AddQueue((e as TaskQueueEvent)?.TaskQueueSid, scopes);
        if (e.WorkerOf() is { } worker && !string.IsNullOrEmpty(worker.Sid))
        {
            scopes.Add(ScopeKey.Worker(worker.Sid));

            // An event without worker attributes says nothing of the team (the worker's statistics take the
            // team from events that carry them), so it names none.
            if (!ReferenceEquals(worker.Attributes, TaskRouterAttributes.Empty))
            {
                scopes.Add(ScopeKey.Team(settings.TeamOf(worker.Attributes)));
            }
        }

        if (e is TransferEvent transfer)
        {
            AddWorker(transfer.TransferInitiatingWorkerSid, scopes);
            AddQueue(IsSid(transfer.TransferTo, "WQ") ? transfer.TransferTo : null, scopes);
            AddWorker(IsSid(transfer.TransferTo, "WK") ? transfer.TransferTo : null, scopes);
        }
    }

    /// <summary>A Twilio Sid of the kind: the two-letter prefix and 32 lower- or upper-case hex digits (TransferTo is free text otherwise).</summary>
    private static bool IsSid(string? value, string prefix) =>
        value is { Length: 34 } && value.StartsWith(prefix, StringComparison.Ordinal) && value.AsSpan(2).ContainsAnyExcept(HexDigits) is false;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static void AddWorker(string? workerSid, ICollection<ScopeKey> scopes)
    {
        if (!string.IsNullOrEmpty(workerSid))
        {
            scopes.Add(ScopeKey.Worker(workerSid));
        }
    }

    private static void AddQueue(string? taskQueueSid, ICollection<ScopeKey> scopes)
    {
        if (!string.IsNullOrEmpty(taskQueueSid))
        {
            scopes.Add(ScopeKey.Queue(taskQueueSid));
        }
    }
}
