using System.Collections.Immutable;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Host.Exports;

/// <summary>
/// Every exported column, in file order. The rows are computed by <see cref="DayTables"/> from the domain's own
/// fold; this is only their shape. docs/exports.md documents the same list (a test compares them).
/// </summary>
public static class ExportSchema
{
    private const string Instant = "UTC instant";
    private const string Seconds = "seconds";

    private static ExportColumn<T> Col<T>(string name, ExportColumnType type, bool nullable, string unit, string meaning, Func<T, object?> value, bool namesOnly = false) =>
        new(name, type, nullable, unit, meaning, value, namesOnly);

    public static readonly ImmutableArray<ExportColumn<ConversationRow>> Conversations =
    [
        Col<ConversationRow>("platform_id", ExportColumnType.String, false, "", "Platform id (ciss, digi); also the partition's platform=", r => r.PlatformId),
        Col<ConversationRow>("local_date", ExportColumnType.Date, false, "platform time zone", "Local day the task was created; also the partition's date=", r => r.LocalDate),
        Col<ConversationRow>("task_sid", ExportColumnType.String, false, "", "TaskRouter task Sid (WT…); one row per task", r => r.TaskSid),
        Col<ConversationRow>("task_queue_sid", ExportColumnType.String, true, "", "The first queue the task entered (WQ…): every queue measure of the task goes there", r => r.TaskQueueSid),
        Col<ConversationRow>("task_queue_name", ExportColumnType.String, true, "", "That queue's name", r => r.TaskQueueName),
        Col<ConversationRow>("support_type", ExportColumnType.String, false, "", "Support type (design §4), or unclassified", r => r.SupportType),
        Col<ConversationRow>("channel", ExportColumnType.String, false, "", "voice or chat (the task's channelType, else the platform's channel)", r => r.Channel),
        Col<ConversationRow>("customer_pseudonym", ExportColumnType.String, true, "", "CS- and 12 hex digits: the crisis supporter's stable per-platform pseudonym (null when no pseudonym key is configured)", r => r.CustomerPseudonym),
        Col<ConversationRow>("customer_name", ExportColumnType.String, true, "", "The crisis supporter's name: full-access export only", r => r.CustomerName, namesOnly: true),
        Col<ConversationRow>("conversation_sid", ExportColumnType.String, true, "", "Flex Conversations Sid (CH…), chat", r => r.ConversationSid),
        Col<ConversationRow>("call_sid", ExportColumnType.String, true, "", "Voice call Sid (CA…)", r => r.CallSid),
        Col<ConversationRow>("conference_sid", ExportColumnType.String, true, "", "Voice conference Sid (CF…)", r => r.ConferenceSid),
        Col<ConversationRow>("worker_sid", ExportColumnType.String, true, "", "The ISS who accepted first (WK…)", r => r.WorkerSid),
        Col<ConversationRow>("worker_name", ExportColumnType.String, true, "", "That ISS's name: full-access export only", r => r.WorkerName, namesOnly: true),
        Col<ConversationRow>("team", ExportColumnType.String, true, "", "That ISS's team", r => r.Team),
        Col<ConversationRow>("transferred_to_worker_sids", ExportColumnType.String, true, "", "Other ISS who accepted it after a transfer, comma-separated Sids in acceptance order", r => r.TransferredToWorkerSids),
        Col<ConversationRow>("reservation_count", ExportColumnType.Int64, false, "offers", "Reservations (offers) of the task: rows in reservations", r => r.ReservationCount),
        Col<ConversationRow>("created_at", ExportColumnType.Timestamp, false, Instant, "task.created", r => r.CreatedAt),
        Col<ConversationRow>("accepted_at", ExportColumnType.Timestamp, true, Instant, "First reservation.accepted", r => r.AcceptedAt),
        Col<ConversationRow>("wrapup_at", ExportColumnType.Timestamp, true, Instant, "task.wrapup", r => r.WrapupAt),
        Col<ConversationRow>("completed_at", ExportColumnType.Timestamp, true, Instant, "task.completed", r => r.CompletedAt),
        Col<ConversationRow>("canceled_at", ExportColumnType.Timestamp, true, Instant, "task.canceled", r => r.CanceledAt),
        Col<ConversationRow>("wait_seconds", ExportColumnType.Double, true, Seconds, "Created to first acceptance; for an abandoned task, created to canceled (abandonedWaitSeconds)", r => r.WaitSeconds),
        Col<ConversationRow>("talk_seconds", ExportColumnType.Double, true, Seconds, "First acceptance to task.wrapup (or task.completed without wrap-up)", r => r.TalkSeconds),
        Col<ConversationRow>("wrap_seconds", ExportColumnType.Double, true, Seconds, "task.wrapup to task.completed", r => r.WrapSeconds),
        Col<ConversationRow>("handle_seconds", ExportColumnType.Double, true, Seconds, "First acceptance to task.completed (talk + wrap)", r => r.HandleSeconds),
        Col<ConversationRow>("outcome", ExportColumnType.String, false, "", "open, handled, abandoned, short_abandoned or transferred", r => r.Outcome),
    ];

    public static readonly ImmutableArray<ExportColumn<ReservationRow>> Reservations =
    [
        Col<ReservationRow>("platform_id", ExportColumnType.String, false, "", "Platform id; also the partition's platform=", r => r.PlatformId),
        Col<ReservationRow>("local_date", ExportColumnType.Date, false, "platform time zone", "Local day the reservation was created (else its task); also the partition's date=", r => r.LocalDate),
        Col<ReservationRow>("reservation_sid", ExportColumnType.String, false, "", "TaskRouter reservation Sid (WR…); one row per reservation", r => r.ReservationSid),
        Col<ReservationRow>("task_sid", ExportColumnType.String, false, "", "Its task (conversations.task_sid)", r => r.TaskSid),
        Col<ReservationRow>("task_queue_sid", ExportColumnType.String, true, "", "The task's first queue", r => r.TaskQueueSid),
        Col<ReservationRow>("support_type", ExportColumnType.String, false, "", "The task's support type", r => r.SupportType),
        Col<ReservationRow>("worker_sid", ExportColumnType.String, true, "", "The ISS offered the task (WK…)", r => r.WorkerSid),
        Col<ReservationRow>("worker_name", ExportColumnType.String, true, "", "That ISS's name: full-access export only", r => r.WorkerName, namesOnly: true),
        Col<ReservationRow>("team", ExportColumnType.String, true, "", "That ISS's team as carried by the reservation's events", r => r.Team),
        Col<ReservationRow>("outcome", ExportColumnType.String, false, "", "pending, accepted, completed, rejected, timed_out or withdrawn", r => r.Outcome),
        Col<ReservationRow>("created_at", ExportColumnType.Timestamp, true, Instant, "reservation.created", r => r.CreatedAt),
        Col<ReservationRow>("accepted_at", ExportColumnType.Timestamp, true, Instant, "reservation.accepted", r => r.AcceptedAt),
        Col<ReservationRow>("ended_at", ExportColumnType.Timestamp, true, Instant, "reservation.completed, rejected, timeout or withdrawn", r => r.EndedAt),
        Col<ReservationRow>("wait_seconds", ExportColumnType.Double, true, Seconds, "Task created to this acceptance (worker-side waitSeconds)", r => r.WaitSeconds),
        Col<ReservationRow>("talk_seconds", ExportColumnType.Double, true, Seconds, "Acceptance to reservation.wrapup (or completion), worker-side talkSeconds", r => r.TalkSeconds),
        Col<ReservationRow>("wrap_seconds", ExportColumnType.Double, true, Seconds, "reservation.wrapup to completion, worker-side wrapSeconds", r => r.WrapSeconds),
        Col<ReservationRow>("handle_seconds", ExportColumnType.Double, true, Seconds, "Acceptance to completion, worker-side handleSeconds", r => r.HandleSeconds),
    ];

    public static readonly ImmutableArray<ExportColumn<ActivityRow>> WorkerActivity =
    [
        Col<ActivityRow>("platform_id", ExportColumnType.String, false, "", "Platform id; also the partition's platform=", r => r.PlatformId),
        Col<ActivityRow>("local_date", ExportColumnType.Date, false, "platform time zone", "Local day of the interval (intervals are split at local midnight); also the partition's date=", r => r.LocalDate),
        Col<ActivityRow>("worker_sid", ExportColumnType.String, false, "", "The ISS (WK…)", r => r.WorkerSid),
        Col<ActivityRow>("team", ExportColumnType.String, false, "", "The ISS's team during the interval", r => r.Team),
        Col<ActivityRow>("activity", ExportColumnType.String, false, "", "TaskRouter activity name", r => r.Activity),
        Col<ActivityRow>("logged_in", ExportColumnType.Boolean, false, "", "False for the platform's OfflineActivities", r => r.LoggedIn),
        Col<ActivityRow>("start_at", ExportColumnType.Timestamp, false, Instant, "Interval start", r => r.StartAt),
        Col<ActivityRow>("end_at", ExportColumnType.Timestamp, false, Instant, "Interval end (exclusive)", r => r.EndAt),
        Col<ActivityRow>("seconds", ExportColumnType.Double, false, Seconds, "end_at − start_at", r => r.Seconds),
        Col<ActivityRow>("open", ExportColumnType.Boolean, false, "", "The worker's current activity at the journal's latest event: it runs to that event's time", r => r.Open),
    ];

    private static readonly (string Name, string Meaning, Func<MetricValues, DurationStats> Get)[] Durations =
    [
        ("wait_seconds", "waitSeconds", v => v.WaitSeconds),
        ("abandoned_wait_seconds", "abandonedWaitSeconds", v => v.AbandonedWaitSeconds),
        ("talk_seconds", "talkSeconds", v => v.TalkSeconds),
        ("wrap_seconds", "wrapSeconds", v => v.WrapSeconds),
        ("handle_seconds", "handleSeconds", v => v.HandleSeconds),
    ];

    public static readonly ImmutableArray<ExportColumn<MetricRow>> DailyMetrics =
    [
        Col<MetricRow>("platform_id", ExportColumnType.String, false, "", "Platform id; also the partition's platform=", r => r.PlatformId),
        Col<MetricRow>("local_date", ExportColumnType.Date, false, "platform time zone", "The local day (window day:YYYY-MM-DD); also the partition's date=", r => r.LocalDate),
        Col<MetricRow>("scope", ExportColumnType.String, false, "", "platform, queue, team or worker", r => r.Scope),
        Col<MetricRow>("scope_id", ExportColumnType.String, false, "", "Platform id, queue Sid, team name or worker Sid", r => r.ScopeId),
        Col<MetricRow>("support_type", ExportColumnType.String, false, "", "A support type, or total (all of them: the API's totals); never sum total with the others", r => r.SupportType),
        Col<MetricRow>("window_start", ExportColumnType.Timestamp, false, Instant, "Local midnight starting the day", r => r.WindowStart),
        Col<MetricRow>("window_end", ExportColumnType.Timestamp, false, Instant, "Local midnight ending the day (23, 24 or 25 hours later)", r => r.WindowEnd),
        Col<MetricRow>("time_zone", ExportColumnType.String, false, "", "The platform's IANA time zone", r => r.TimeZone),
        Col<MetricRow>("offered", ExportColumnType.Int64, false, "tasks", "offered (design §5)", r => r.Values.Offered),
        Col<MetricRow>("handled", ExportColumnType.Int64, false, "tasks", "handled: first acceptances (task side) or accepted reservations (worker, team)", r => r.Values.Handled),
        Col<MetricRow>("abandoned", ExportColumnType.Int64, false, "tasks", "abandoned", r => r.Values.Abandoned),
        Col<MetricRow>("reservations", ExportColumnType.Int64, false, "offers", "reservations", r => r.Values.Reservations),
        Col<MetricRow>("rejected", ExportColumnType.Int64, false, "offers", "rejected", r => r.Values.Rejected),
        Col<MetricRow>("timed_out", ExportColumnType.Int64, false, "offers", "timedOut (RONA)", r => r.Values.TimedOut),
        Col<MetricRow>("transferred", ExportColumnType.Int64, false, "tasks", "transferred", r => r.Values.Transferred),
        Col<MetricRow>("short_abandoned", ExportColumnType.Int64, false, "tasks", "shortAbandoned", r => r.Values.ShortAbandoned),
        Col<MetricRow>("answered_in_threshold", ExportColumnType.Int64, false, "tasks", "answeredInThreshold", r => r.Values.AnsweredInThreshold),
        .. Durations.SelectMany(d => (ExportColumn<MetricRow>[])
        [
            Col<MetricRow>(d.Name + "_count", ExportColumnType.Int64, false, "samples", d.Meaning + ".count", r => d.Get(r.Values).Count),
            Col<MetricRow>(d.Name + "_sum", ExportColumnType.Double, false, Seconds, d.Meaning + ".sum (exact)", r => d.Get(r.Values).Sum),
            Col<MetricRow>(d.Name + "_avg", ExportColumnType.Double, true, Seconds, d.Meaning + ".avg (null when count is 0)", r => d.Get(r.Values).Avg),
            Col<MetricRow>(d.Name + "_max", ExportColumnType.Double, true, Seconds, d.Meaning + ".max (exact)", r => d.Get(r.Values).Max),
            Col<MetricRow>(d.Name + "_p50", ExportColumnType.Double, true, Seconds, d.Meaning + ".p50 (log-scale histogram)", r => d.Get(r.Values).P50),
            Col<MetricRow>(d.Name + "_p90", ExportColumnType.Double, true, Seconds, d.Meaning + ".p90 (log-scale histogram)", r => d.Get(r.Values).P90),
        ]),
        Col<MetricRow>("reject_rate", ExportColumnType.Double, true, "ratio 0–1", "rejected / reservations", r => r.Values.RejectRate),
        Col<MetricRow>("timeout_rate", ExportColumnType.Double, true, "ratio 0–1", "timedOut / reservations", r => r.Values.TimeoutRate),
        Col<MetricRow>("transfer_rate", ExportColumnType.Double, true, "ratio 0–1", "transferred / handled", r => r.Values.TransferRate),
        Col<MetricRow>("abandon_rate", ExportColumnType.Double, true, "ratio 0–1", "abandoned / offered (task-side scopes)", r => r.Values.AbandonRate),
        Col<MetricRow>("service_level", ExportColumnType.Double, true, "ratio 0–1", "answeredInThreshold / (handled + abandoned − shortAbandoned) (task-side scopes)", r => r.Values.ServiceLevel),
    ];

    public static readonly ImmutableArray<ExportColumn<EventRow>> Events =
    [
        Col<EventRow>("platform_id", ExportColumnType.String, false, "", "Platform id; also the partition's platform=", r => r.PlatformId),
        Col<EventRow>("local_date", ExportColumnType.Date, false, "platform time zone", "Local day of the event time; also the partition's date=", r => r.LocalDate),
        Col<EventRow>("sequence", ExportColumnType.Int64, false, "", "Journal sequence (commit order)", r => r.Sequence),
        Col<EventRow>("event_sid", ExportColumnType.String, false, "", "TaskRouter event Sid (EV…), the deduplication key", r => r.EventSid),
        Col<EventRow>("event_type", ExportColumnType.String, false, "", "e.g. reservation.accepted", r => r.EventType),
        Col<EventRow>("event_at", ExportColumnType.Timestamp, false, Instant, "Event time (Twilio's clock)", r => r.EventAt),
        Col<EventRow>("arrived_at", ExportColumnType.Timestamp, false, Instant, "When the engine journaled it", r => r.ArrivedAt),
        Col<EventRow>("wire_format", ExportColumnType.String, false, "", "form (workspace callback), eventstreams or events (REST backfill)", r => r.WireFormat),
        Col<EventRow>("resource_type", ExportColumnType.String, true, "", "task, reservation, worker, transfer…", r => r.ResourceType),
        Col<EventRow>("task_sid", ExportColumnType.String, true, "", "Task Sid", r => r.TaskSid),
        Col<EventRow>("reservation_sid", ExportColumnType.String, true, "", "Reservation Sid", r => r.ReservationSid),
        Col<EventRow>("worker_sid", ExportColumnType.String, true, "", "Worker Sid", r => r.WorkerSid),
        Col<EventRow>("task_queue_sid", ExportColumnType.String, true, "", "Queue Sid carried by the event", r => r.TaskQueueSid),
        Col<EventRow>("task_queue_name", ExportColumnType.String, true, "", "Queue name carried by the event", r => r.TaskQueueName),
        Col<EventRow>("workflow_sid", ExportColumnType.String, true, "", "Workflow Sid", r => r.WorkflowSid),
        Col<EventRow>("task_channel", ExportColumnType.String, true, "", "Task channel unique name (voice, chat…)", r => r.TaskChannel),
        Col<EventRow>("assignment_status", ExportColumnType.String, true, "", "The task's assignment status after the event", r => r.AssignmentStatus),
        Col<EventRow>("task_age_seconds", ExportColumnType.Int64, true, Seconds, "The task's age as Twilio reported it", r => r.TaskAgeSeconds),
        Col<EventRow>("task_priority", ExportColumnType.Int64, true, "", "Task priority", r => r.TaskPriority),
        Col<EventRow>("activity_name", ExportColumnType.String, true, "", "Worker activity after the event", r => r.ActivityName),
        Col<EventRow>("previous_activity_name", ExportColumnType.String, true, "", "worker.activity.update: the activity it closed", r => r.PreviousActivityName),
        Col<EventRow>("time_in_previous_activity_seconds", ExportColumnType.Double, true, Seconds, "worker.activity.update: the closed interval's length", r => r.TimeInPreviousActivitySeconds),
        Col<EventRow>("transfer_mode", ExportColumnType.String, true, "", "task.transfer-*: WARM or COLD", r => r.TransferMode),
        Col<EventRow>("transfer_type", ExportColumnType.String, true, "", "task.transfer-*: WORKER or QUEUE", r => r.TransferType),
        Col<EventRow>("transfer_to", ExportColumnType.String, true, "", "task.transfer-*: the worker or queue Sid", r => r.TransferTo),
        Col<EventRow>("transfer_initiating_reservation_sid", ExportColumnType.String, true, "", "task.transfer-*: the reservation that started it", r => r.TransferInitiatingReservationSid),
        Col<EventRow>("unreadable", ExportColumnType.Boolean, false, "", "The stored payload no longer parses (journaled, measured as nothing)", r => r.Unreadable),
    ];

    /// <summary>Every table's columns by name and type, for the schema document and its test.</summary>
    public static IReadOnlyList<(string Name, ExportColumnType Type, bool Nullable, string Unit, string Meaning, bool NamesOnly)> Columns(string table) => table switch
    {
        ExportTables.Conversations => Describe(Conversations),
        ExportTables.Reservations => Describe(Reservations),
        ExportTables.WorkerActivity => Describe(WorkerActivity),
        ExportTables.DailyMetrics => Describe(DailyMetrics),
        ExportTables.Events => Describe(Events),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown export table"),
    };

    private static List<(string, ExportColumnType, bool, string, string, bool)> Describe<T>(ImmutableArray<ExportColumn<T>> columns) =>
        [.. columns.Select(c => (c.Name, c.Type, c.Nullable, c.Unit, c.Meaning, c.NamesOnly))];
}
