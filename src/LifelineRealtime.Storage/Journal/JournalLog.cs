using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Storage.Journal;

/// <summary>What the journal was doing when it failed.</summary>
public enum JournalOperation
{
    /// <summary>Opening the file for writing (folder, file, WAL mode, schema, write lock).</summary>
    Open,

    /// <summary>Committing a batch of appends.</summary>
    Commit,
}

internal static partial class JournalLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Journal opened at {Path} with {Durability} durability; high-water sequence {Sequence}")]
    public static partial void Opened(ILogger logger, string path, JournalDurability durability, long sequence);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Journal at {Path} failed ({Operation}): appends are refused until it opens again; next attempt in {Delay}")]
    public static partial void Failing(ILogger logger, string path, JournalOperation operation, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Journal at {Path} still failing ({Operation}, attempt {Attempt}); next attempt in {Delay}")]
    public static partial void StillFailing(ILogger logger, string path, JournalOperation operation, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Journal at {Path} is writable again after {Duration} and {Attempts} failed attempts; high-water sequence {Sequence}")]
    public static partial void Recovered(ILogger logger, string path, TimeSpan duration, int attempts, long sequence);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Journal folder {Folder} is open to other users and could not be restricted to its owner; the journal files in it are private (0600)")]
    public static partial void FolderOpenToOthers(ILogger logger, string folder);
}
