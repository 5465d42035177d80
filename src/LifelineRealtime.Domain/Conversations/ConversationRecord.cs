using System.Collections.Immutable;

namespace LifelineRealtime.Domain.Conversations;

/// <summary>How a conversation ended, or that it has not.</summary>
public enum ConversationOutcome
{
    Open,
    Handled,
    Abandoned,
    ShortAbandoned,
    Transferred,
}

/// <summary>How one offer to an ISS ended.</summary>
public enum ReservationOutcome
{
    Pending,
    Accepted,
    Completed,
    Rejected,
    TimedOut,

    /// <summary>Canceled, rescinded or failed before an answer.</summary>
    Withdrawn,
}

/// <summary>One offer of the task to a worker: who (and their Flex identity, the author of their chat messages), how it ended and when (Unix ms).</summary>
public sealed record ConversationReservation(
    string ReservationSid,
    string? WorkerSid,
    string? WorkerName,
    string? Team,
    ReservationOutcome Outcome,
    long? CreatedMs,
    long? AcceptedMs,
    long? EndedMs,
    string? WorkerIdentity = null);

/// <summary>
/// One task as the conversation list shows it, from the task's events alone: where it came in, who the crisis
/// supporter (CS) and the ISS were, every offer, the links to its transcript or call, and the same times and
/// durations the metrics count (design §5; <c>TaskFacts.Times</c>). Times are Unix ms, durations ms.
/// </summary>
/// <remarks>
/// <see cref="CustomerName"/> and <see cref="CustomerIdentity"/> are personal information: only roles allowed to see CS
/// names are ever given them (design §8).
/// </remarks>
public sealed record ConversationRecord(
    string Platform,
    string TaskSid,
    string? TaskQueueSid,
    string? TaskQueueName,
    string SupportType,
    string Channel,
    string? CustomerName,
    string? CustomerIdentity,
    string? ConversationSid,
    string? CallSid,
    string? ConferenceSid,
    string? WorkerSid,
    string? WorkerName,
    string? Team,
    ImmutableArray<string> TransferredToWorkerSids,
    ImmutableArray<ConversationReservation> Reservations,
    long? CreatedMs,
    long? AcceptedMs,
    long? WrapupMs,
    long? CompletedMs,
    long? CanceledMs,
    long? WaitMs,
    long? TalkMs,
    long? WrapMs,
    long? HandleMs,
    ConversationOutcome Outcome)
{
    public bool Equals(ConversationRecord? other) =>
        other is not null && EqualityContract == other.EqualityContract
        && (Platform, TaskSid, TaskQueueSid, TaskQueueName, SupportType, Channel, CustomerName, CustomerIdentity, ConversationSid, CallSid, ConferenceSid)
            == (other.Platform, other.TaskSid, other.TaskQueueSid, other.TaskQueueName, other.SupportType, other.Channel, other.CustomerName, other.CustomerIdentity, other.ConversationSid, other.CallSid, other.ConferenceSid)
        && (WorkerSid, WorkerName, Team, CreatedMs, AcceptedMs, WrapupMs, CompletedMs, CanceledMs, WaitMs, TalkMs, WrapMs, HandleMs, Outcome)
            == (other.WorkerSid, other.WorkerName, other.Team, other.CreatedMs, other.AcceptedMs, other.WrapupMs, other.CompletedMs, other.CanceledMs, other.WaitMs, other.TalkMs, other.WrapMs, other.HandleMs, other.Outcome)
        && TransferredToWorkerSids.AsSpan().SequenceEqual(other.TransferredToWorkerSids.AsSpan())
        && Reservations.AsSpan().SequenceEqual(other.Reservations.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Platform, TaskSid, Outcome, Reservations.Length);
}
