namespace LifelineRealtime.Host.Reconciliation;

/// <summary>Reconciliation's log messages (EventIds 9301–9399). Sids, measure names and figures only: never a name or a secret.</summary>
internal static partial class ReconciliationLog
{
    [LoggerMessage(EventId = 9301, Level = LogLevel.Warning,
        Message = "Reconciliation of platform {Platform} for {Date}: queue {TaskQueueSid} {Measure} is {Ours} here and {Theirs} in TaskRouter (difference {Difference}, tolerance {Allowed})")]
    public static partial void Mismatch(ILogger logger, string platform, string date, string taskQueueSid, string measure, double ours, double theirs, double difference, double allowed);

    [LoggerMessage(EventId = 9302, Level = LogLevel.Warning, Message = "Reconciliation of platform {Platform} for {Date}: queue {TaskQueueSid} failed: {Reason}")]
    public static partial void QueueFailed(ILogger logger, string platform, string date, string taskQueueSid, string reason);

    [LoggerMessage(EventId = 9303, Level = LogLevel.Warning, Message = "Reconciliation of platform {Platform} for {Date} failed: the task queues could not be listed: {Reason}")]
    public static partial void ListingFailed(ILogger logger, string platform, string date, string reason);

    [LoggerMessage(EventId = 9304, Level = LogLevel.Information,
        Message = "Reconciled platform {Platform} for {Date}: {Queues} queues, {Failed} failed, {Mismatches} measures beyond tolerance ({Outcome})")]
    public static partial void Reconciled(ILogger logger, string platform, string date, int queues, int failed, int mismatches, string outcome);

    [LoggerMessage(EventId = 9305, Level = LogLevel.Information, Message = "Nightly reconciliation of platform {Platform} next runs at {At:O} for local day {Date}")]
    public static partial void Scheduled(ILogger logger, string platform, DateTimeOffset at, string date);

    [LoggerMessage(EventId = 9306, Level = LogLevel.Error, Message = "Nightly reconciliation of platform {Platform} for {Date} could not run")]
    public static partial void NightlyFailed(ILogger logger, Exception exception, string platform, string date);

    [LoggerMessage(EventId = 9307, Level = LogLevel.Information, Message = "Nightly reconciliation is off (Lifeline:Reconciliation:Enabled); admins can still run a day on demand")]
    public static partial void Disabled(ILogger logger);
}
