namespace LifelineRealtime.Storage.Journal;

/// <summary>Settings of the embedded SQLite journal.</summary>
public sealed class SqliteJournalOptions
{
    /// <summary>The database file; its folder is created when missing.</summary>
    public string Path { get; set; } = "data/lifeline.db";

    /// <summary>How far a commit is flushed before appends complete (see <see cref="JournalDurability"/>).</summary>
    public JournalDurability Durability { get; set; } = JournalDurability.Full;

    /// <summary>The most records one transaction takes; keeps a single commit short under a burst.</summary>
    public int MaxBatchRecords { get; set; } = 2000;

    /// <summary>
    /// How long a statement waits for a lock another connection holds (another process with the file open)
    /// before it fails. Appends wait at most this long, so a locked journal answers a webhook 503 in time
    /// for Twilio to retry. Microsoft.Data.Sqlite counts it in whole seconds; a fraction is rounded up.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Wait after the first failed open or commit before the journal tries to open again; it
    /// doubles with each further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts while the journal keeps failing.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// SQLite <c>synchronous</c> setting in WAL mode. Both keep every acknowledged event across a process kill
/// (SIGKILL): a commit has reached the WAL file in the OS page cache before the append completes.
/// They differ on power loss or a kernel crash.
/// </summary>
public enum JournalDurability
{
    /// <summary><c>synchronous=FULL</c>: the WAL is fsynced at every commit, so an acknowledged event also
    /// survives power loss. Group commit spreads the fsync (about 0.5 ms here) over every event in the batch.</summary>
    Full,

    /// <summary><c>synchronous=NORMAL</c>: no fsync per commit; the last commits may roll back on power loss,
    /// and the events they held are lost to the engine (Twilio's Events API keeps them for 30 days, but
    /// nothing reads it back yet).</summary>
    Normal,
}
