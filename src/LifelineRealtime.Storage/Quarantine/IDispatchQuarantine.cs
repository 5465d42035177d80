namespace LifelineRealtime.Storage.Quarantine;

/// <summary>
/// Journal records the dispatcher set aside because applying them failed, or because they can never be a
/// real event. The record itself stays in the journal, unchanged; the quarantine only says "not applied, and
/// why", so nothing is lost and a fix can apply it later (<c>POST /api/admin/quarantine/reapply</c>).
/// </summary>
public interface IDispatchQuarantine
{
    /// <summary>How many records are set aside now.</summary>
    int Count { get; }

    /// <summary>The sequences set aside, for the dispatcher to skip on replay. Loaded once at start.</summary>
    Task<IReadOnlySet<long>> SequencesAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets a record aside (or updates its error and attempt count when it is already there).</summary>
    Task AddAsync(QuarantinedRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every record set aside, in sequence order.</summary>
    Task<IReadOnlyList<QuarantinedRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes a record out once it has been applied.</summary>
    Task RemoveAsync(long sequence, CancellationToken cancellationToken = default);
}

/// <summary>One journal record set aside by the dispatcher.</summary>
/// <param name="Sequence">The record's journal sequence.</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="EventSid">Its event Sid (<c>EV…</c>), to look it up in Twilio's event log.</param>
/// <param name="EventType">Its event type as received.</param>
/// <param name="Error">Why it was set aside: the exception type and message, or the rule it broke. Never the payload.</param>
/// <param name="QuarantinedMs">When it was first set aside (host clock, Unix milliseconds).</param>
/// <param name="Attempts">How many times it was tried (1 when it was refused before any grain saw it).</param>
public sealed record QuarantinedRecord(
    long Sequence,
    string PlatformId,
    string EventSid,
    string EventType,
    string Error,
    long QuarantinedMs,
    int Attempts);
