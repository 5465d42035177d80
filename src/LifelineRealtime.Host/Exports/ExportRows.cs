using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Host.Exports;

/// <summary>A conversations row (one per task).</summary>
public sealed record ConversationRow(
    string PlatformId, DateOnly LocalDate, string TaskSid, string? TaskQueueSid, string? TaskQueueName, string SupportType, string Channel,
    string? CustomerPseudonym, string? CustomerName, string? ConversationSid, string? CallSid, string? ConferenceSid,
    string? WorkerSid, string? WorkerName, string? Team, string? TransferredToWorkerSids, long ReservationCount,
    DateTime CreatedAt, DateTime? AcceptedAt, DateTime? WrapupAt, DateTime? CompletedAt, DateTime? CanceledAt,
    double? WaitSeconds, double? TalkSeconds, double? WrapSeconds, double? HandleSeconds, string Outcome);

/// <summary>A reservations row (one per offer).</summary>
public sealed record ReservationRow(
    string PlatformId, DateOnly LocalDate, string ReservationSid, string TaskSid, string? TaskQueueSid, string SupportType,
    string? WorkerSid, string? WorkerName, string? Team, string Outcome, DateTime? CreatedAt, DateTime? AcceptedAt, DateTime? EndedAt,
    double? WaitSeconds, double? TalkSeconds, double? WrapSeconds, double? HandleSeconds);

/// <summary>A worker_activity row (one interval, within one local day).</summary>
public sealed record ActivityRow(
    string PlatformId, DateOnly LocalDate, string WorkerSid, string Team, string Activity, bool LoggedIn, DateTime StartAt, DateTime EndAt, double Seconds, bool Open);

/// <summary>A daily_metrics row: one scope, support type (or total) and local day, every measure of the metrics API.</summary>
public sealed record MetricRow(
    string PlatformId, DateOnly LocalDate, string Scope, string ScopeId, string SupportType, DateTime WindowStart, DateTime WindowEnd, string TimeZone, MetricValues Values);

/// <summary>An events row: a journal record without its payload (no attributes, no names, no free text).</summary>
public sealed record EventRow(
    string PlatformId, DateOnly LocalDate, long Sequence, string EventSid, string EventType, DateTime EventAt, DateTime ArrivedAt, string WireFormat,
    string? ResourceType, string? TaskSid, string? ReservationSid, string? WorkerSid, string? TaskQueueSid, string? TaskQueueName,
    string? WorkflowSid, string? TaskChannel, string? AssignmentStatus, long? TaskAgeSeconds, long? TaskPriority,
    string? ActivityName, string? PreviousActivityName, double? TimeInPreviousActivitySeconds,
    string? TransferMode, string? TransferType, string? TransferTo, string? TransferInitiatingReservationSid, bool Unreadable);
