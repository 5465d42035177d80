using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Lifecycle;

/// <summary>
/// What a sorted event set says about a task (first time of each milestone, its queue, its support type,
/// its reservations), and the design §5 samples that follow from it. Kept apart from
/// <see cref="TaskLifecycle"/> so the metric definitions read as one list.
/// </summary>
internal sealed class TaskFacts
{
    [ThreadStatic]
    private static List<MeasureSample>? t_scratch;

    private readonly Dictionary<string, ReservationFacts> _reservations = new(StringComparer.Ordinal);

    public long? CreatedMs { get; private set; }

    public long? DateCreatedMs { get; private set; }

    public string? QueueSid { get; private set; }

    public string? QueueName { get; private set; }

    public int SupportType { get; private set; }

    public long? TaskWrapupMs { get; private set; }

    public long? TaskCompletedMs { get; private set; }

    public long? TaskCanceledMs { get; private set; }

    public long? NativeTransferMs { get; private set; }

    public string? NativeTransferReservationSid { get; private set; }

    public static TaskFacts From(List<TaskLifecycle.Entry> sorted, PlatformSettings settings)
    {
        var facts = new TaskFacts();
        string? enteredQueue = null;
        string? carriedQueue = null;
        TaskLifecycle.Entry? latest = null;
        foreach (var entry in sorted)
        {
            var e = entry.Event;
            var task = entry.Task;
            if (task.DateCreatedMs is { } dateCreated && (facts.DateCreatedMs is null || dateCreated < facts.DateCreatedMs))
            {
                facts.DateCreatedMs = dateCreated;
            }

            if (task.TaskQueueSid is { } queue)
            {
                carriedQueue ??= queue;
                if (e.Type == TaskRouterEventType.TaskQueueEntered)
                {
                    enteredQueue ??= queue;
                }
            }

            // The latest attributes decide the support type: highest TaskVersion, then time (sorted order breaks ties).
            if (!ReferenceEquals(task.Attributes, TaskRouterAttributes.Empty)
                && (latest is null || (task.Version ?? -1) >= (latest.Task.Version ?? -1)))
            {
                latest = entry;
            }

            switch (e.Type)
            {
                case TaskRouterEventType.TaskCreated:
                    facts.CreatedMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.TaskWrapup:
                    facts.TaskWrapupMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.TaskCompleted:
                    facts.TaskCompletedMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.TaskCanceled:
                    facts.TaskCanceledMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.TaskTransferInitiated when e is TransferEvent transfer && facts.NativeTransferMs is null:
                    facts.NativeTransferMs = e.TimestampMs;
                    facts.NativeTransferReservationSid = transfer.TransferInitiatingReservationSid;
                    break;
            }

            if (e is ReservationEvent r)
            {
                if (!facts._reservations.TryGetValue(r.ReservationSid, out var reservation))
                {
                    reservation = new ReservationFacts(r.ReservationSid);
                    facts._reservations.Add(r.ReservationSid, reservation);
                }

                reservation.Observe(r, settings);
            }
        }

        facts.QueueSid = enteredQueue ?? carriedQueue;
        if (facts.QueueSid is not null)
        {
            foreach (var entry in sorted)
            {
                if (entry.Task.TaskQueueName is { } name && string.Equals(entry.Task.TaskQueueSid, facts.QueueSid, StringComparison.Ordinal))
                {
                    facts.QueueName = name;
                    break;
                }
            }
        }

        facts.SupportType = settings.ClassifySupportType(latest?.Task.Attributes ?? TaskRouterAttributes.Empty, facts.QueueName);
        return facts;
    }

    public Contribution Samples(PlatformSettings settings, TransferLink? incomingTransfer)
    {
        // One scratch list per thread: the contribution copies what it keeps, so the list is reused.
        var samples = t_scratch ??= new List<MeasureSample>(64);
        samples.Clear();
        var platform = ScopeKey.Platform(settings.Id);
        ScopeKey? queue = QueueSid is null ? null : ScopeKey.Queue(QueueSid);
        var type = SupportType;

        void TaskSide(Measure measure, long timeMs, long value)
        {
            samples.Add(new MeasureSample(platform, measure, type, timeMs, value));
            if (queue is { } q)
            {
                samples.Add(new MeasureSample(q, measure, type, timeMs, value));
            }
        }

        void WorkerSide(ReservationFacts reservation, Measure measure, long timeMs, long value)
        {
            samples.Add(new MeasureSample(ScopeKey.Worker(reservation.WorkerSid!), measure, type, timeMs, value));
            samples.Add(new MeasureSample(ScopeKey.Team(reservation.Team!), measure, type, timeMs, value));
        }

        var baseMs = CreatedMs ?? DateCreatedMs;
        var first = FirstAccepted();

        // Task side (platform and queue).
        if (CreatedMs is { } created)
        {
            TaskSide(Measure.Offered, created, 1);
        }

        if (first?.AcceptedMs is { } accepted)
        {
            TaskSide(Measure.Handled, accepted, 1);
            if (baseMs is { } start)
            {
                var wait = Math.Max(0, accepted - start);
                TaskSide(Measure.WaitSeconds, accepted, wait);
                if (wait <= settings.ServiceLevelMs(type))
                {
                    TaskSide(Measure.AnsweredInThreshold, accepted, 1);
                }
            }

            var wrapup = TaskWrapupMs >= accepted ? TaskWrapupMs : null;
            var completed = TaskCompletedMs >= accepted ? TaskCompletedMs : null;
            if ((wrapup ?? completed) is { } talkEnd)
            {
                TaskSide(Measure.TalkSeconds, talkEnd, talkEnd - accepted);
            }

            if (wrapup is { } wrapStart && completed is { } wrapEnd && wrapEnd >= wrapStart)
            {
                TaskSide(Measure.WrapSeconds, wrapEnd, wrapEnd - wrapStart);
            }

            if (completed is { } handleEnd)
            {
                TaskSide(Measure.HandleSeconds, handleEnd, handleEnd - accepted);
            }
        }
        else if (TaskCanceledMs is { } canceled)
        {
            TaskSide(Measure.Abandoned, canceled, 1);
            if (baseMs is { } start)
            {
                var wait = Math.Max(0, canceled - start);
                TaskSide(Measure.AbandonedWaitSeconds, canceled, wait);
                if (wait <= settings.ShortAbandonMs)
                {
                    TaskSide(Measure.ShortAbandoned, canceled, 1);
                }
            }
        }

        // Reservation side (worker and team; offers, rejects and timeouts also roll up to queue and platform).
        foreach (var reservation in _reservations.Values)
        {
            if (reservation.WorkerSid is null)
            {
                continue;
            }

            if (reservation.CreatedMs is { } offered)
            {
                WorkerSide(reservation, Measure.Reservations, offered, 1);
                TaskSide(Measure.Reservations, offered, 1);
            }

            if (reservation.RejectedMs is { } rejected)
            {
                WorkerSide(reservation, Measure.Rejected, rejected, 1);
                TaskSide(Measure.Rejected, rejected, 1);
            }

            if (reservation.TimeoutMs is { } timeout)
            {
                WorkerSide(reservation, Measure.TimedOut, timeout, 1);
                TaskSide(Measure.TimedOut, timeout, 1);
            }

            if (reservation.AcceptedMs is not { } reservationAccepted)
            {
                continue;
            }

            WorkerSide(reservation, Measure.Handled, reservationAccepted, 1);
            if (baseMs is { } start)
            {
                WorkerSide(reservation, Measure.WaitSeconds, reservationAccepted, Math.Max(0, reservationAccepted - start));
            }

            // task.wrapup / task.completed carry no worker: they close the reservation accepted most recently before them.
            var taskWrapup = TaskWrapupMs is { } tw && ReferenceEquals(AcceptedAt(tw), reservation) ? TaskWrapupMs : null;
            var taskCompleted = TaskCompletedMs is { } tc && ReferenceEquals(AcceptedAt(tc), reservation) ? TaskCompletedMs : null;
            var wrapStart = reservation.WrapupMs ?? taskWrapup;
            var end = reservation.CompletedMs ?? taskCompleted;
            if ((wrapStart ?? end) is { } talkEnd && talkEnd >= reservationAccepted)
            {
                WorkerSide(reservation, Measure.TalkSeconds, talkEnd, talkEnd - reservationAccepted);
            }

            if (wrapStart is { } ws && end is { } we && we >= ws && ws >= reservationAccepted)
            {
                WorkerSide(reservation, Measure.WrapSeconds, we, we - ws);
            }

            if (end is { } handleEnd && handleEnd >= reservationAccepted)
            {
                WorkerSide(reservation, Measure.HandleSeconds, handleEnd, handleEnd - reservationAccepted);
            }
        }

        // The task's first transfer, native or by a chat plugin's new task, is the one counted.
        long? transferMs = NativeTransferMs;
        var transferReservation = NativeTransferReservationSid;
        if (incomingTransfer is not null && (transferMs is null || incomingTransfer.TimeMs < transferMs))
        {
            transferMs = incomingTransfer.TimeMs;
            transferReservation = incomingTransfer.OriginalReservationSid;
        }

        if (transferMs is { } transferred)
        {
            TaskSide(Measure.Transferred, transferred, 1);
            var from = transferReservation is not null && _reservations.TryGetValue(transferReservation, out var initiating) && initiating.WorkerSid is not null
                ? initiating
                : AcceptedAt(transferred) ?? first;
            if (from?.WorkerSid is not null)
            {
                WorkerSide(from, Measure.Transferred, transferred, 1);
            }
        }

        return Contribution.From(samples);
    }

    /// <summary>The reservation accepted first (ties broken by Sid so the choice is order-independent).</summary>
    private ReservationFacts? FirstAccepted()
    {
        ReservationFacts? first = null;
        foreach (var reservation in _reservations.Values)
        {
            if (reservation.AcceptedMs is { } at && reservation.WorkerSid is not null
                && (first is null || at < first.AcceptedMs || (at == first.AcceptedMs && string.CompareOrdinal(reservation.Sid, first.Sid) < 0)))
            {
                first = reservation;
            }
        }

        return first;
    }

    /// <summary>The reservation accepted most recently at or before <paramref name="timeMs"/>.</summary>
    private ReservationFacts? AcceptedAt(long timeMs)
    {
        ReservationFacts? best = null;
        foreach (var reservation in _reservations.Values)
        {
            if (reservation.AcceptedMs is { } at && at <= timeMs && reservation.WorkerSid is not null
                && (best is null || at > best.AcceptedMs || (at == best.AcceptedMs && string.CompareOrdinal(reservation.Sid, best.Sid) > 0)))
            {
                best = reservation;
            }
        }

        return best;
    }

    private sealed class ReservationFacts(string sid)
    {
        public string Sid { get; } = sid;

        public string? WorkerSid { get; private set; }

        public string? Team { get; private set; }

        public long? CreatedMs { get; private set; }

        public long? AcceptedMs { get; private set; }

        public long? RejectedMs { get; private set; }

        public long? TimeoutMs { get; private set; }

        public long? WrapupMs { get; private set; }

        public long? CompletedMs { get; private set; }

        /// <summary>Called in sorted order, so "first" means earliest by event time.</summary>
        public void Observe(ReservationEvent e, PlatformSettings settings)
        {
            if (WorkerSid is null && e.Worker is { } worker)
            {
                WorkerSid = worker.Sid;
                Team = settings.TeamOf(worker.Attributes);
            }

            switch (e.Type)
            {
                case TaskRouterEventType.ReservationCreated:
                    CreatedMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.ReservationAccepted:
                    AcceptedMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.ReservationRejected:
                    RejectedMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.ReservationTimeout:
                    TimeoutMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.ReservationWrapup:
                    WrapupMs ??= e.TimestampMs;
                    break;
                case TaskRouterEventType.ReservationCompleted:
                    CompletedMs ??= e.TimestampMs;
                    break;
            }
        }
    }
}
