namespace LifelineRealtime.Host.Exports;

/// <summary>Export logs, event ids 9401–9499. Never a name, a token or a connection string.</summary>
internal static partial class ExportLog
{
    [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "Exports go to {Sink}{FullAccess}")]
    public static partial void Started(ILogger logger, string sink, string fullAccess);

    [LoggerMessage(EventId = 9402, Level = LogLevel.Debug, Message = "Export partition {Partition} committed: {Rows} rows in {Files} file(s), journal watermark {Watermark}, full access {FullAccess}")]
    public static partial void PartitionCommitted(ILogger logger, PartitionPath partition, long rows, int files, long watermark, bool fullAccess);

    [LoggerMessage(EventId = 9403, Level = LogLevel.Error, Message = "Export partition {Partition} failed; its previous export is left whole")]
    public static partial void PartitionFailed(ILogger logger, PartitionPath partition, Exception exception);

    [LoggerMessage(EventId = 9404, Level = LogLevel.Information, Message = "Exported {Platform} {Date:yyyy-MM-dd}: {Tables} table(s) from {Records} journal records in {Milliseconds:F0} ms")]
    public static partial void DayExported(ILogger logger, string platform, DateOnly date, int tables, long records, double milliseconds);

    [LoggerMessage(EventId = 9405, Level = LogLevel.Information, Message = "Export {ExportId} ({Trigger}) queued: {Partitions} partition(s) from {From} to {To}")]
    public static partial void Queued(ILogger logger, string exportId, string trigger, int partitions, string from, string to);

    [LoggerMessage(EventId = 9406, Level = LogLevel.Information, Message = "Export {ExportId} {State}: {Done} of {Total} partition(s)")]
    public static partial void Finished(ILogger logger, string exportId, ExportState state, int done, int total);

    [LoggerMessage(EventId = 9407, Level = LogLevel.Error, Message = "Export {ExportId} failed after {Done} of {Total} partition(s)")]
    public static partial void JobFailed(ILogger logger, string exportId, int done, int total, Exception exception);

    [LoggerMessage(EventId = 9408, Level = LogLevel.Error, Message = "Scheduled export round failed; the next round tries again")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9409, Level = LogLevel.Warning, Message = "Export {ExportId} was {State} when the engine last stopped (attempts so far {Attempts}); it runs again from its start: {Partitions} partition(s)")]
    public static partial void JobResumed(ILogger logger, string exportId, ExportState state, int attempts, int partitions);

    [LoggerMessage(EventId = 9410, Level = LogLevel.Error, Message = "Export {ExportId} was running each of the {Attempts} times the engine stopped or died; it is failed, not run again")]
    public static partial void JobAbandoned(ILogger logger, string exportId, int attempts);

    [LoggerMessage(EventId = 9411, Level = LogLevel.Warning, Message = "Export {ExportId}: its progress could not be stored; the export goes on")]
    public static partial void StatusNotSaved(ILogger logger, string exportId, Exception exception);

    [LoggerMessage(EventId = 9412, Level = LogLevel.Warning, Message = "Exports left unfinished by the last run could not be read yet; trying again in {Seconds} s")]
    public static partial void ResumeFailed(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(EventId = 9413, Level = LogLevel.Error, Message = "Export {ExportId} is stored in a form this version cannot read; it is not run (queue it again with POST /api/admin/exports)")]
    public static partial void JobUnreadable(ILogger logger, string exportId, Exception exception);
}
