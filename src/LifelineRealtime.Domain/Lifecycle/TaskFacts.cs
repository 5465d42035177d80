using System.Collections.Immutable;
using LifelineRealtime.Domain.Conversations;
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

    /// <summary>The task's latest attributes (highest TaskVersion).</summary>
    public TaskRouterAttributes Attributes { get; private set; } = TaskRouterAttributes.Empty;

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

        facts.Attributes = latest?.Task.Attributes ?? TaskRouterAttributes.Empty;
        facts.SupportType = settings.ClassifySupportType(facts.Attributes, facts.QueueName);
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
        var times = Times();

        // Task side (platform and queue).
        if (CreatedMs is { } created)
        {
            TaskSide(Measure.Offered, created, 1);
        }

        if (times.AcceptedMs is { } accepted)
        {
            TaskSide(Measure.Handled, accepted, 1);
            if (times.WaitMs is { } wait)
            {
                TaskSide(Measure.WaitSeconds, accepted, wait);
                if (wait <= settings.ServiceLevelMs(type))
                {
                    TaskSide(Measure.AnsweredInThreshold, accepted, 1);
                }
            }

            if (times.TalkEndMs is { } talkEnd)
            {
                TaskSide(Measure.TalkSeconds, talkEnd, times.TalkMs!.Value);
            }

            if (times.WrapMs is { } wrap)
            {
                TaskSide(Measure.WrapSeconds, times.CompletedMs!.Value, wrap);
            }

            if (times.HandleMs is { } handle)
            {
                TaskSide(Measure.HandleSeconds, times.CompletedMs!.Value, handle);
            }
        }
        else if (times.CanceledMs is { } canceled)
        {
            TaskSide(Measure.Abandoned, canceled, 1);
            if (times.AbandonedWaitMs is { } wait)
            {
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
            var timing = TimingOf(reservation, baseMs);
            if (timing.WaitMs is { } reservationWait)
            {
                WorkerSide(reservation, Measure.WaitSeconds, reservationAccepted, reservationWait);
            }

            if (timing.TalkMs is { } talk)
            {
                WorkerSide(reservation, Measure.TalkSeconds, timing.TalkEndMs!.Value, talk);
            }

            if (timing.WrapMs is { } reservationWrap)
            {
                WorkerSide(reservation, Measure.WrapSeconds, timing.EndMs!.Value, reservationWrap);
            }

            if (timing.HandleMs is { } reservationHandle)
            {
                WorkerSide(reservation, Measure.HandleSeconds, timing.EndMs!.Value, reservationHandle);
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

    /// <summary>The task as the conversation list shows it (issue: conversations and transcripts).</summary>
    public ConversationRecord Conversation(PlatformSettings settings, string taskSid, TransferLink? incomingTransfer)
    {
        var times = Times();
        var a = Attributes;
        var transferred = NativeTransferMs is not null || incomingTransfer is not null;
        var outcome = TaskCompletedMs is null && TaskCanceledMs is null ? ConversationOutcome.Open
            : times.AcceptedMs is null ? (times.AbandonedWaitMs is { } w && w <= settings.ShortAbandonMs ? ConversationOutcome.ShortAbandoned : ConversationOutcome.Abandoned)
            : transferred ? ConversationOutcome.Transferred
            : ConversationOutcome.Handled;
        var reservations = _reservations.Values
            .OrderBy(r => r.CreatedMs ?? long.MaxValue).ThenBy(r => r.Sid, StringComparer.Ordinal)
            .Select(r => new ConversationReservation(
                r.Sid, r.WorkerSid, r.WorkerName, r.Team,
                r.CompletedMs is not null ? ReservationOutcome.Completed
                : r.AcceptedMs is not null ? ReservationOutcome.Accepted
                : r.RejectedMs is not null ? ReservationOutcome.Rejected
                : r.TimeoutMs is not null ? ReservationOutcome.TimedOut
                : r.WithdrawnMs is not null ? ReservationOutcome.Withdrawn
                : ReservationOutcome.Pending,
                r.CreatedMs, r.AcceptedMs, r.CompletedMs ?? r.RejectedMs ?? r.TimeoutMs ?? r.WithdrawnMs, r.WorkerIdentity))
            .ToImmutableArray();
        var accepted = reservations.Where(r => r.AcceptedMs is not null && r.WorkerSid is not null).OrderBy(r => r.AcceptedMs).ThenBy(r => r.ReservationSid, StringComparer.Ordinal).ToList();
        return new ConversationRecord(
            settings.Id,
            taskSid,
            QueueSid,
            QueueName,
            settings.SupportTypes[SupportType],
            a.GetString("channelType") ?? settings.Options.Channel,
            settings.CustomerNameOf(a),
            a.GetString("customerAddress") ?? a.GetString("from") ?? a.GetString("customers.phone") ?? a.GetString("customers.email"),
            a.GetString("conversationSid") ?? a.GetString("channelSid"),
            a.GetString("call_sid"),
            a.GetString("conference.sid"),
            accepted.FirstOrDefault()?.WorkerSid,
            accepted.FirstOrDefault()?.WorkerName,
            accepted.FirstOrDefault()?.Team,
            [.. accepted.Skip(1).Select(r => r.WorkerSid!).Distinct(StringComparer.Ordinal)],
            reservations,
            CreatedMs ?? DateCreatedMs,
            times.AcceptedMs,
            times.WrapupMs,
            TaskCompletedMs,
            TaskCanceledMs,
            times.WaitMs ?? times.AbandonedWaitMs,
            times.TalkMs,
            times.WrapMs,
            times.HandleMs,
            outcome);
    }

    /// <summary>Every reservation's worker-side timings (the same values its measures book), ordered as the conversation record lists them.</summary>
    public ImmutableArray<ReservationTiming> ReservationTimings()
    {
        var baseMs = CreatedMs ?? DateCreatedMs;
        return _reservations.Values
            .OrderBy(r => r.CreatedMs ?? long.MaxValue).ThenBy(r => r.Sid, StringComparer.Ordinal)
            .Select(r => TimingOf(r, baseMs))
            .ToImmutableArray();
    }

    /// <summary>
    /// The reservation-side timings of design §5 in one place: wait from the task's creation to this acceptance; talk
    /// from acceptance to this reservation's wrap-up (or its completion), wrap to completion, handle from acceptance to
    /// completion. <c>task.wrapup</c> / <c>task.completed</c> carry no worker: they close the reservation accepted most
    /// recently before them when its own event is missing.
    /// </summary>
    private ReservationTiming TimingOf(ReservationFacts reservation, long? baseMs)
    {
        if (reservation.WorkerSid is null || reservation.AcceptedMs is not { } accepted)
        {
            return new ReservationTiming(reservation.Sid, null, null, null, null, null, null);
        }

        var taskWrapup = TaskWrapupMs is { } tw && ReferenceEquals(AcceptedAt(tw), reservation) ? TaskWrapupMs : null;
        var taskCompleted = TaskCompletedMs is { } tc && ReferenceEquals(AcceptedAt(tc), reservation) ? TaskCompletedMs : null;
        var wrapStart = reservation.WrapupMs ?? taskWrapup;
        var end = reservation.CompletedMs ?? taskCompleted;
        var talkEnd = (wrapStart ?? end) is { } te && te >= accepted ? te : (long?)null;
        return new ReservationTiming(
            reservation.Sid,
            baseMs is { } start ? Math.Max(0, accepted - start) : null,
            talkEnd,
            talkEnd - accepted,
            wrapStart is { } ws && end is { } we && we >= ws && ws >= accepted ? we - ws : null,
            end is { } e && e >= accepted ? e : null,
            end is { } he && he >= accepted ? he - accepted : null);
    }

    /// <summary>
    /// The task-side timings of design §5 in one place, for the measures and the conversation record: the first
    /// accepted reservation ends the wait; talk runs to the task's wrap-up (or completion), wrap from wrap-up to
    /// completion, handle from acceptance to completion; a task canceled before any acceptance waited until then.
    /// </summary>
    public TaskTimes Times()
    {
        var baseMs = CreatedMs ?? DateCreatedMs;
        if (FirstAccepted()?.AcceptedMs is { } accepted)
        {
            var wrapup = TaskWrapupMs >= accepted ? TaskWrapupMs : null;
            var completed = TaskCompletedMs >= accepted ? TaskCompletedMs : null;
            var talkEnd = wrapup ?? completed;
            return new TaskTimes(
                accepted,
                baseMs is { } start ? Math.Max(0, accepted - start) : null,
                talkEnd,
                talkEnd - accepted,
                wrapup,
                completed,
                wrapup is { } ws && completed is { } we && we >= ws ? we - ws : null,
                completed - accepted,
                null,
                null);
        }

        return TaskCanceledMs is { } canceled
            ? new TaskTimes(null, null, null, null, null, null, null, null, canceled, baseMs is { } s ? Math.Max(0, canceled - s) : null)
            : default;
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

        /// <summary>The ISS's display name: Flex's <c>full_name</c> attribute, else the worker's friendly name (the latest seen).</summary>
        public string? WorkerName { get; private set; }

        /// <summary>The worker's Flex identity (its <c>contact_uri</c> after <c>client:</c>): the author of its chat messages.</summary>
        public string? WorkerIdentity { get; private set; }

        /// <summary>Canceled, rescinded or failed: the offer was withdrawn before an answer.</summary>
        public long? WithdrawnMs { get; private set; }

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

            if (e.Worker is { } named && (named.Attributes.GetString("full_name") ?? named.Name) is { Length: > 0 } name)
            {
                WorkerName = name;
            }

            if (e.Worker?.Attributes.GetString("contact_uri") is { Length: > 7 } uri && uri.StartsWith("client:", StringComparison.Ordinal))
            {
                WorkerIdentity = uri[7..];
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
                case TaskRouterEventType.ReservationCanceled or TaskRouterEventType.ReservationRescinded or TaskRouterEventType.ReservationFailed:
                    WithdrawnMs ??= e.TimestampMs;
                    break;
            }
        }
    }
}

/// <summary>A task's timings (Unix ms and durations in ms), see <see cref="TaskFacts.Times"/>; null where the events do not give one.</summary>
internal readonly record struct TaskTimes(
    long? AcceptedMs,
    long? WaitMs,
    long? TalkEndMs,
    long? TalkMs,
    long? WrapupMs,
    long? CompletedMs,
    long? WrapMs,
    long? HandleMs,
    long? CanceledMs,
    long? AbandonedWaitMs);

/// <summary>
/// One reservation's worker-side timings (Unix ms and durations in ms), the values its measures book (design §5):
/// null where the events do not give one (an offer never accepted has none).
/// </summary>
public sealed record ReservationTiming(string ReservationSid, long? WaitMs, long? TalkEndMs, long? TalkMs, long? WrapMs, long? EndMs, long? HandleMs);
