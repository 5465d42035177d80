using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Storage.Journal;

/// <summary>
/// The source of truth: every TaskRouter event as it arrived, deduplicated by event Sid, in commit order.
/// An append completes only once its records are durable, so a webhook may acknowledge Twilio then.
/// The one implementation is SQLite (<see cref="SqliteEventJournal"/>, embedded mode).
/// </summary>
public interface IEventJournal
{
    /// <summary>
    /// Appends entries and completes once they are committed. Each result says whether its entry was
    /// new or a duplicate of an event already journaled (by event Sid), and its sequence number. Fails
    /// with <see cref="JournalUnavailableException"/> when they could not be committed.
    /// </summary>
    Task<IReadOnlyList<JournalAppendResult>> AppendAsync(IReadOnlyList<JournalEntry> entries);

    /// <summary>The highest committed sequence number (0 when the journal is empty).</summary>
    long HighWaterSequence { get; }

    /// <summary>Whether appends can be committed now; while failing, since when and why.</summary>
    JournalHealth Health { get; }

    /// <summary>Completes when a record with a sequence above <paramref name="afterSequence"/> is committed.
    /// Lets a dispatcher wait for work instead of polling.</summary>
    Task WaitForCommitAsync(long afterSequence, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> records with a sequence above <paramref name="afterSequence"/>,
    /// in sequence order. Sequences are committed in order, so a reader that resumes from the last sequence
    /// it saw never misses a record.</summary>
    Task<IReadOnlyList<JournalRecord>> ReadAfterSequenceAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>One platform's records with event time in [<paramref name="fromMs"/>, <paramref name="toMs"/>),
    /// in event order (event time, then sequence).</summary>
    IAsyncEnumerable<JournalRecord> ReadByEventTimeAsync(string platformId, long fromMs, long toMs, CancellationToken cancellationToken = default);

    /// <summary>The latest event time of one platform's records (null when it has none): where backfill starts on start.</summary>
    Task<long?> LatestEventTimeAsync(string platformId, CancellationToken cancellationToken = default);
}

/// <summary>How the event reached us; decides how the stored payload is parsed again.</summary>
public enum JournalWireFormat
{
    /// <summary>A workspace callback: the payload is the form body.</summary>
    Form,

    /// <summary>An Event Streams delivery: the payload is the JSON text of one CloudEvent.</summary>
    EventStreams,

    /// <summary>Read back from TaskRouter's Events REST resource (backfill): the payload is the JSON text of one event resource.</summary>
    EventsResource,
}

/// <summary>How each wire format is named in storage and parsed again.</summary>
public static class JournalWireFormats
{
    /// <summary>The parser's name for a journal format.</summary>
    public static EventPayloadFormat ToPayloadFormat(this JournalWireFormat format) => format switch
    {
        JournalWireFormat.Form => EventPayloadFormat.Form,
        JournalWireFormat.EventStreams => EventPayloadFormat.CloudEvent,
        JournalWireFormat.EventsResource => EventPayloadFormat.EventResource,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown journal wire format"),
    };

    /// <summary>The name stored in the journal's <c>format</c> column.</summary>
    public static string StoredName(this JournalWireFormat format) => format switch
    {
        JournalWireFormat.Form => "form",
        JournalWireFormat.EventStreams => "eventstreams",
        JournalWireFormat.EventsResource => "events",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown journal wire format"),
    };

    /// <summary>The format a stored name stands for.</summary>
    public static JournalWireFormat FromStoredName(string name) => name switch
    {
        "form" => JournalWireFormat.Form,
        "eventstreams" => JournalWireFormat.EventStreams,
        "events" => JournalWireFormat.EventsResource,
        _ => throw new InvalidDataException("Unknown journal wire format: " + name),
    };
}

/// <summary>
/// One event to journal: the wire text it came in and the event parsed from exactly that text (readers close
/// behind the writer are handed this object instead of parsing the text again, so the two must agree).
/// </summary>
public sealed record JournalEntry(string PlatformId, TaskRouterEvent Event, JournalWireFormat Format, string Payload);

/// <summary>The outcome of one appended entry.</summary>
/// <param name="Sequence">The entry's sequence number, or the first copy's when it was a duplicate.</param>
/// <param name="IsNew">False when the event Sid was already journaled.</param>
public readonly record struct JournalAppendResult(long Sequence, bool IsNew);

/// <summary>
/// A committed journal record and its event: the one appended in this process while the journal still holds it
/// (<see cref="RecentAppends"/>), else its payload parsed again. A payload that no longer parses
/// (the file was altered, or written by a version that accepted more) is still read: its event is an
/// <see cref="UnknownEvent"/> and <see cref="Unreadable"/> says why, so a reader can set it aside instead of
/// stopping at it.
/// </summary>
public sealed record JournalRecord(
    long Sequence,
    string PlatformId,
    string EventSid,
    string EventType,
    long EventTimeMs,
    string? TaskSid,
    string? WorkerSid,
    JournalWireFormat Format,
    string Payload,
    long ArrivedMs,
    TaskRouterEvent Event,
    string? Unreadable = null);
