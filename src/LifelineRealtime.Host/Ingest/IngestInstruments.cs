using System.Diagnostics.Metrics;

namespace LifelineRealtime.Host.Ingest;

/// <summary>Ingest instruments on the <c>LifelineRealtime</c> meter. Tags are configured platform ids, wire
/// formats, outcomes and reasons only: never a Sid or an unconfigured path segment.</summary>
public sealed class IngestInstruments
{
    public const string MeterName = "LifelineRealtime";

    private readonly Counter<long> _events;
    private readonly Counter<long> _unknownEvents;
    private readonly Counter<long> _rejected;

    public IngestInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("lifeline.ingest.events", "{event}", "Events received and journaled, by platform, format and outcome (new or duplicate).");
        _unknownEvents = meter.CreateCounter<long>("lifeline.ingest.unknown_events", "{event}", "Events of a type we do not know: journaled, otherwise ignored.");
        _rejected = meter.CreateCounter<long>("lifeline.ingest.rejected", "{request}", "Webhook requests refused, by reason (signature, malformed, invalid_text, event_time, too_large, unknown_platform, journal_unavailable).");
    }

    public void Journaled(string platform, string format, int added, int duplicates)
    {
        if (added > 0)
        {
            _events.Add(added, new("platform", platform), new("format", format), new("outcome", "new"));
        }

        if (duplicates > 0)
        {
            _events.Add(duplicates, new("platform", platform), new("format", format), new("outcome", "duplicate"));
        }
    }

    public void Unknown(string platform, string format, int count) =>
        _unknownEvents.Add(count, new("platform", platform), new("format", format));

    public void Rejected(string format, RejectReason reason) =>
        _rejected.Add(1, new("format", format), new("reason", ReasonTag(reason)));

    internal static string ReasonTag(RejectReason reason) => reason switch
    {
        RejectReason.Signature => "signature",
        RejectReason.Malformed => "malformed",
        RejectReason.InvalidText => "invalid_text",
        RejectReason.EventTime => "event_time",
        RejectReason.TooLarge => "too_large",
        RejectReason.UnknownPlatform => "unknown_platform",
        RejectReason.JournalUnavailable => "journal_unavailable",
        _ => "other",
    };
}

public enum RejectReason
{
    Signature,
    Malformed,

    /// <summary>The body, or a value once decoded, is not UTF-8 text.</summary>
    InvalidText,

    /// <summary>An event time outside the window a real event can carry.</summary>
    EventTime,
    TooLarge,
    UnknownPlatform,

    /// <summary>The journal could not commit the request's events (answered 503).</summary>
    JournalUnavailable,
}
