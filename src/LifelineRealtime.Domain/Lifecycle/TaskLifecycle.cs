using System.Collections.Immutable;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Lifecycle;

/// <summary>
/// One task's events and the measures they complete. Events are kept deduplicated by event Sid; the
/// <see cref="Contribution"/> is recomputed from the whole set sorted by
/// (<c>TimestampMs</c>, <c>TaskVersion</c>, <c>ReservationVersion</c>, type rank, Sid), so it depends on
/// which events arrived, never on the order they arrived in. A grain emits
/// <c>Contribution.Diff(before, after)</c> for each event; summing every delta ever emitted gives the
/// contribution of the final event set, so a late event corrects earlier numbers and nothing is counted twice.
/// </summary>
public sealed class TaskLifecycle
{
    private readonly PlatformSettings _settings;
    private readonly List<Entry> _events = [];
    // Most tasks hold a dozen events: a linear scan finds duplicates without a dictionary per task,
    // which is built only once a task grows past LinearScanLimit events.
    private const int LinearScanLimit = 16;
    private Dictionary<string, int>? _indexBySid;

    // Hashes of the held event Sids, contiguous, so the scan does not chase a pointer per event.
    private int[] _sidHashes = new int[12];
    private readonly List<LinkEntry> _incomingTransfers = [];
    private Contribution? _contribution;

    public TaskLifecycle(string taskSid, PlatformSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskSid);
        ArgumentNullException.ThrowIfNull(settings);
        TaskSid = taskSid;
        _settings = settings;
    }

    public string TaskSid { get; }

    /// <summary>Distinct events held.</summary>
    public int EventCount => _events.Count;

    /// <summary>The contribution of every event and incoming transfer held.</summary>
    public Contribution Contribution => _contribution ??= Compute(long.MaxValue);

    /// <summary>
    /// Applies one event of this task. <paramref name="sequence"/> is the journal sequence number (0 when
    /// there is none); a duplicate keeps the lower one, so a replay after a crash sees the original.
    /// Returns false for a duplicate or an event of another task or kind.
    /// </summary>
    public bool Apply(TaskRouterEvent taskRouterEvent, long sequence = 0)
    {
        ArgumentNullException.ThrowIfNull(taskRouterEvent);
        var task = taskRouterEvent.TaskOf();
        if (task is null || !string.Equals(task.Sid, TaskSid, StringComparison.Ordinal))
        {
            return false;
        }

        var hash = string.GetHashCode(taskRouterEvent.Sid, StringComparison.Ordinal);
        if (IndexOf(taskRouterEvent.Sid, hash) is var existing && existing >= 0)
        {
            if (sequence < _events[existing].Sequence)
            {
                _events[existing] = _events[existing] with { Sequence = sequence };
                _contribution = null;
            }

            return false;
        }

        _indexBySid?.Add(taskRouterEvent.Sid, _events.Count);
        if (_events.Count == _sidHashes.Length)
        {
            Array.Resize(ref _sidHashes, _sidHashes.Length * 2);
        }

        _sidHashes[_events.Count] = hash;
        _events.Add(new Entry(taskRouterEvent, task, sequence));
        if (_indexBySid is null && _events.Count > LinearScanLimit)
        {
            _indexBySid = new Dictionary<string, int>(_events.Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < _events.Count; i++)
            {
                _indexBySid.Add(_events[i].Event.Sid, i);
            }
        }

        _contribution = null;
        return true;
    }

    /// <summary>
    /// Records that another task (a chat plugin's transfer) was created as a transfer of this one. The link
    /// is an input like an event: deduplicated by the new task's Sid and order-independent.
    /// </summary>
    public bool ApplyTransfer(TransferLink link, long sequence = 0)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!string.Equals(link.OriginalTaskSid, TaskSid, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < _incomingTransfers.Count; i++)
        {
            if (string.Equals(_incomingTransfers[i].Link.NewTaskSid, link.NewTaskSid, StringComparison.Ordinal))
            {
                if (sequence < _incomingTransfers[i].Sequence)
                {
                    _incomingTransfers[i] = _incomingTransfers[i] with { Sequence = sequence };
                    _contribution = null;
                }

                return false;
            }
        }

        _incomingTransfers.Add(new LinkEntry(link, sequence));
        _contribution = null;
        return true;
    }

    /// <summary>The contribution of the inputs with sequence ≤ <paramref name="sequence"/>; a grain
    /// replaying input <c>s</c> re-emits <c>Diff(ContributionThrough(s − 1), ContributionThrough(s))</c>.</summary>
    public Contribution ContributionThrough(long sequence) => Compute(sequence);

    /// <summary>
    /// When this task was created by a chat plugin as a transfer of another task
    /// (<c>transferMeta.originalTask</c> in its <c>task.created</c> attributes), the link to hand to the
    /// original task's lifecycle; otherwise null.
    /// </summary>
    public TransferLink? OutgoingTransfer
    {
        get
        {
            Entry? created = null;
            foreach (var entry in _events)
            {
                if (entry.Event.Type == TaskRouterEventType.TaskCreated && (created is null || EntryComparer.Instance.Compare(entry, created) < 0))
                {
                    created = entry;
                }
            }

            // Most tasks are not transfers: check for the object before reading the dotted path.
            if (created is null || !created.Task.Attributes.Root.TryGetProperty("transferMeta", out _))
            {
                return null;
            }

            var original = created.Task.Attributes.GetString("transferMeta.originalTask");
            if (string.IsNullOrEmpty(original) || string.Equals(original, TaskSid, StringComparison.Ordinal))
            {
                return null;
            }

            return new TransferLink(original, TaskSid, created.Event.TimestampMs, created.Task.Attributes.GetString("transferMeta.originalReservation"));
        }
    }

    /// <summary>The task as the conversation list shows it; the same times and durations as its measures.</summary>
    public ConversationRecord Conversation
    {
        get
        {
            var sorted = Sorted(long.MaxValue);
            TransferLink? earliestLink = null;
            foreach (var link in _incomingTransfers)
            {
                if (earliestLink is null || link.Link.TimeMs < earliestLink.TimeMs)
                {
                    earliestLink = link.Link;
                }
            }

            return TaskFacts.From(sorted, _settings).Conversation(_settings, TaskSid, earliestLink);
        }
    }

    /// <summary>Every reservation's worker-side timings, the same values its measures book (exports' reservation rows).</summary>
    public ImmutableArray<ReservationTiming> ReservationTimings => TaskFacts.From(Sorted(long.MaxValue), _settings).ReservationTimings();

    /// <summary>The task's current status and since when, for live views (waiting and stuck tasks).</summary>
    public TaskLiveState LiveState
    {
        get
        {
            var sorted = Sorted(long.MaxValue);
            var facts = TaskFacts.From(sorted, _settings);
            var status = TaskLiveStatus.Pending;
            long since = facts.CreatedMs ?? (sorted.Count > 0 ? sorted[0].Event.TimestampMs : 0);
            var open = new HashSet<string>(StringComparer.Ordinal);
            // The worker of each reservation offered, and of the latest accepted one: who holds the task.
            var offeredTo = new List<(string ReservationSid, string? WorkerSid)>();
            string? acceptedWorker = null;
            foreach (var entry in sorted)
            {
                var e = entry.Event;
                var next = status;
                switch (e.Type)
                {
                    case TaskRouterEventType.ReservationCreated when e is ReservationEvent r:
                        open.Add(r.ReservationSid);
                        offeredTo.Add((r.ReservationSid, r.Worker?.Sid));
                        if (status is TaskLiveStatus.Pending)
                        {
                            next = TaskLiveStatus.Reserved;
                        }

                        break;
                    case TaskRouterEventType.ReservationRejected or TaskRouterEventType.ReservationTimeout or TaskRouterEventType.ReservationCanceled
                        or TaskRouterEventType.ReservationRescinded or TaskRouterEventType.ReservationFailed when e is ReservationEvent r:
                        open.Remove(r.ReservationSid);
                        if (status is TaskLiveStatus.Reserved && open.Count == 0)
                        {
                            next = TaskLiveStatus.Pending;
                        }

                        break;
                    case TaskRouterEventType.ReservationAccepted when e is ReservationEvent r:
                        open.Remove(r.ReservationSid);
                        if (status is not (TaskLiveStatus.Completed or TaskLiveStatus.Canceled))
                        {
                            acceptedWorker = r.Worker?.Sid ?? acceptedWorker;
                        }

                        if (status is TaskLiveStatus.Pending or TaskLiveStatus.Reserved)
                        {
                            next = TaskLiveStatus.Assigned;
                        }

                        break;
                    case TaskRouterEventType.TaskWrapup:
                        next = TaskLiveStatus.Wrapping;
                        break;
                    case TaskRouterEventType.TaskCompleted:
                        next = TaskLiveStatus.Completed;
                        break;
                    case TaskRouterEventType.TaskCanceled or TaskRouterEventType.TaskDeleted or TaskRouterEventType.TaskSystemDeleted:
                        next = TaskLiveStatus.Canceled;
                        break;
                }

                if (status is TaskLiveStatus.Completed or TaskLiveStatus.Canceled)
                {
                    continue;
                }

                if (next != status)
                {
                    status = next;
                    since = e.TimestampMs;
                }
            }

            // Every task and reservation event states Twilio's own assignment status. When the events held do
            // not explain it (a task first seen mid-conversation, e.g. only through task.transfer-initiated),
            // the latest event's statement wins over "waiting": a conversation in progress is not a wait.
            if (status is TaskLiveStatus.Pending or TaskLiveStatus.Reserved && sorted.Count > 0
                && StatedStatus(sorted[^1].Event) is { } stated && stated > status)
            {
                status = stated;
                since = sorted[^1].Event.TimestampMs;
            }

            string? holder = null;
            if (status is TaskLiveStatus.Assigned or TaskLiveStatus.Wrapping)
            {
                holder = acceptedWorker;
            }
            else if (status is TaskLiveStatus.Reserved)
            {
                // The latest offer still open (with multi-reservation, the others are not tracked).
                for (var i = offeredTo.Count - 1; i >= 0 && holder is null; i--)
                {
                    if (open.Contains(offeredTo[i].ReservationSid))
                    {
                        holder = offeredTo[i].WorkerSid;
                    }
                }
            }

            return new TaskLiveState(TaskSid, status, since, facts.CreatedMs, facts.QueueSid, _settings.SupportTypes[facts.SupportType], holder);
        }
    }

    /// <summary>An event's <c>TaskAssignmentStatus</c> when it says the task is assigned or wrapping.</summary>
    private static TaskLiveStatus? StatedStatus(TaskRouterEvent e)
    {
        return e.TaskOf()?.AssignmentStatus switch
        {
            "assigned" => TaskLiveStatus.Assigned,
            "wrapping" => TaskLiveStatus.Wrapping,
            _ => null,
        };
    }

    private int IndexOf(string eventSid, int hash)
    {
        if (_indexBySid is not null)
        {
            return _indexBySid.TryGetValue(eventSid, out var index) ? index : -1;
        }

        for (var i = 0; i < _events.Count; i++)
        {
            if (_sidHashes[i] == hash && string.Equals(_events[i].Event.Sid, eventSid, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private List<Entry> Sorted(long sequence)
    {
        var sorted = new List<Entry>(_events.Count);
        foreach (var entry in _events)
        {
            if (entry.Sequence <= sequence)
            {
                sorted.Add(entry);
            }
        }

        sorted.Sort(EntryComparer.Instance);
        return sorted;
    }

    private Contribution Compute(long sequence)
    {
        var sorted = Sorted(sequence);
        TransferLink? earliestLink = null;
        foreach (var link in _incomingTransfers)
        {
            if (link.Sequence <= sequence && (earliestLink is null || link.Link.TimeMs < earliestLink.TimeMs
                || (link.Link.TimeMs == earliestLink.TimeMs && string.CompareOrdinal(link.Link.NewTaskSid, earliestLink.NewTaskSid) < 0)))
            {
                earliestLink = link.Link;
            }
        }

        if (sorted.Count == 0 && earliestLink is null)
        {
            return Contribution.Empty;
        }

        var facts = TaskFacts.From(sorted, _settings);
        return facts.Samples(_settings, earliestLink);
    }

    internal sealed record Entry(TaskRouterEvent Event, TaskInfo Task, long Sequence);

    private sealed record LinkEntry(TransferLink Link, long Sequence);

    /// <summary>Event time, then Twilio's per-resource versions, then where the type sits in a lifecycle, then Sid.</summary>
    internal sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var c = x.Event.TimestampMs.CompareTo(y.Event.TimestampMs);
            if (c != 0)
            {
                return c;
            }

            c = (x.Task.Version ?? -1).CompareTo(y.Task.Version ?? -1);
            if (c != 0)
            {
                return c;
            }

            c = ReservationVersion(x.Event).CompareTo(ReservationVersion(y.Event));
            if (c != 0)
            {
                return c;
            }

            c = Rank(x.Event.Type).CompareTo(Rank(y.Event.Type));
            return c != 0 ? c : string.CompareOrdinal(x.Event.Sid, y.Event.Sid);
        }

        private static long ReservationVersion(TaskRouterEvent e) => e is ReservationEvent r ? r.ReservationVersion ?? -1 : -1;

        private static int Rank(TaskRouterEventType type) => type switch
        {
            TaskRouterEventType.TaskCreated => 0,
            TaskRouterEventType.WorkflowEntered or TaskRouterEventType.WorkflowTargetMatched or TaskRouterEventType.TaskQueueEntered => 1,
            TaskRouterEventType.TaskUpdated or TaskRouterEventType.TaskQueueMoved => 2,
            TaskRouterEventType.ReservationCreated => 3,
            TaskRouterEventType.ReservationAccepted or TaskRouterEventType.ReservationRejected or TaskRouterEventType.ReservationTimeout
                or TaskRouterEventType.ReservationCanceled or TaskRouterEventType.ReservationRescinded or TaskRouterEventType.ReservationFailed => 4,
            TaskRouterEventType.TaskTransferInitiated => 5,
            TaskRouterEventType.TaskWrapup => 6,
            TaskRouterEventType.ReservationWrapup => 7,
            TaskRouterEventType.TaskCompleted or TaskRouterEventType.TaskCanceled => 8,
            TaskRouterEventType.ReservationCompleted => 9,
            _ => 10,
        };
    }
}

/// <summary>A chat plugin's transfer: <see cref="NewTaskSid"/> was created at <see cref="TimeMs"/> as a transfer of <see cref="OriginalTaskSid"/>.</summary>
public sealed record TransferLink(string OriginalTaskSid, string NewTaskSid, long TimeMs, string? OriginalReservationSid);

/// <summary>
/// Where a task is now: its status since <see cref="SinceMs"/>, its queue and support type, and the worker holding it
/// (<see cref="WorkerSid"/>: the latest open reservation's worker while reserved, the accepted reservation's while
/// assigned or wrapping; else null).
/// </summary>
public sealed record TaskLiveState(string TaskSid, TaskLiveStatus Status, long SinceMs, long? CreatedMs, string? TaskQueueSid, string SupportType, string? WorkerSid = null)
{
    public bool IsOpen => Status is not (TaskLiveStatus.Completed or TaskLiveStatus.Canceled);

}
