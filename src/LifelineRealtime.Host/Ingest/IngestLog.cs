namespace LifelineRealtime.Host.Ingest;

/// <summary>Ingest log messages. They carry platform ids, formats, reasons and counts: never a token,
/// a signature, attributes, a body or a name.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Refused a {Format} webhook for platform {Platform}: {Reason}")]
    public static partial void Rejected(ILogger logger, string format, string platform, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Refused a {Format} webhook for an unconfigured platform")]
    public static partial void UnknownPlatform(ILogger logger, string format);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Journaled an event of unknown type {EventType} for platform {Platform}")]
    public static partial void UnknownEventType(ILogger logger, string eventType, string platform);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Journaled {Added} new and {Duplicates} duplicate {Format} events for platform {Platform}")]
    public static partial void Journaled(ILogger logger, int added, int duplicates, string format, string platform);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Refused a {Format} webhook for platform {Platform}: malformed field {Field}")]
    public static partial void Malformed(ILogger logger, string format, string platform, string field);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Could not journal a {Format} webhook for platform {Platform}; answered 503")]
    public static partial void JournalFailed(ILogger logger, string format, string platform, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Answered 503 to a {Format} webhook for platform {Platform}: {Reason}")]
    public static partial void JournalUnavailable(ILogger logger, string format, string platform, string reason);
}
