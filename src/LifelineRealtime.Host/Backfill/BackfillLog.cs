namespace LifelineRealtime.Host.Backfill;

/// <summary>Backfill's log lines (EventIds 9201–9299). Never a payload, a token or a name: Sids, counts and times only.</summary>
internal static partial class BackfillLog
{
    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Backfill on start and on a schedule is off ({Why}); POST /api/admin/backfill still fills on demand")]
    public static partial void Disabled(ILogger logger, string why);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Backfill of platform {Platform} from {From:O} to {To:O} ({Triggers}) started")]
    public static partial void FillStarted(ILogger logger, string platform, DateTimeOffset from, DateTimeOffset to, string triggers);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Backfill of platform {Platform} finished: {Pages} pages, {Seen} events read, {New} new, {Duplicate} duplicate, {Refused} refused, {Unparsable} unparsable in {Seconds:F2} s")]
    public static partial void FillFinished(ILogger logger, string platform, int pages, int seen, int @new, int duplicate, int refused, int unparsable, double seconds);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Backfill of platform {Platform} ended {Outcome} after {Pages} pages ({New} new events journaled); it is tried again at the next run: {Reason}")]
    public static partial void FillFailed(ILogger logger, string platform, string outcome, int pages, int @new, string reason);

    [LoggerMessage(EventId = 9205, Level = LogLevel.Warning, Message = "Backfill of platform {Platform}: event resource {EventSid} does not parse ({Field}: {Error}); counted and skipped")]
    public static partial void Unparsable(ILogger logger, string platform, string eventSid, string field, string error);

    [LoggerMessage(EventId = 9206, Level = LogLevel.Warning, Message = "Backfill of platform {Platform}: event {EventSid} refused ({Refusal}: {Message}); counted and skipped")]
    public static partial void Refused(ILogger logger, string platform, string eventSid, string refusal, string message);

    [LoggerMessage(EventId = 9207, Level = LogLevel.Warning, Message = "Backfill of platform {Platform} cannot read {From:O} to {To:O}: older than Lifeline:Backfill:MaxLookBack ({LookBack}); TaskRouter keeps events 30 days")]
    public static partial void Unrecoverable(ILogger logger, string platform, DateTimeOffset from, DateTimeOffset to, TimeSpan lookBack);

    [LoggerMessage(EventId = 9208, Level = LogLevel.Error, Message = "A backfill run failed; its gaps are looked for again at the next run")]
    public static partial void RunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9209, Level = LogLevel.Warning, Message = "{Count} backfill fills were left running when the engine last stopped; they are tried again now")]
    public static partial void Interrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 9210, Level = LogLevel.Debug, Message = "Backfill of platform {Platform}: page {Page} had {Events} events")]
    public static partial void PageRead(ILogger logger, string platform, int page, int events);

    [LoggerMessage(EventId = 9211, Level = LogLevel.Warning, Message = "Backfill of platform {Platform} journaled {New} events the webhook had not delivered between {From:O} and {To:O}")]
    public static partial void GapProven(ILogger logger, string platform, int @new, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 9212, Level = LogLevel.Information, Message = "Backfill runs on start and every {Interval} (quiet gap {QuietGap}, overlap {Overlap}, look-back {LookBack})")]
    public static partial void Scheduled(ILogger logger, TimeSpan interval, TimeSpan quietGap, TimeSpan overlap, TimeSpan lookBack);
}
