using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Storage.Journal;

internal static partial class JournalLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Journal opened at {Path} with {Durability} durability; high-water sequence {Sequence}")]
    public static partial void Opened(ILogger logger, string path, JournalDurability durability, long sequence);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Journal commit of {Records} records failed; their appends are failed too")]
    public static partial void CommitFailed(ILogger logger, int records, Exception exception);
}
