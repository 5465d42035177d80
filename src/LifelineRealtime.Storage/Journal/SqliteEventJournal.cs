using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace LifelineRealtime.Storage.Journal;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode. Appends are queued and a single writer commits
/// everything queued in one transaction (group commit), then completes all of them together; so one
/// fsync serves a whole burst, and sequence numbers are handed out in commit order by the only writer.
/// Reads use their own pooled connections and never block the writer (WAL).
/// <para>
/// A failed open or commit does not leave the journal dead: the writer connection is dropped (a connection
/// SQLite opened read-only stays read-only), appends are refused at once with
/// <see cref="JournalUnavailableException"/>, and the journal opens again on its own after a delay that
/// doubles with each failure (<see cref="SqliteJournalOptions.RetryDelay"/> up to
/// <see cref="SqliteJournalOptions.MaxRetryDelay"/>), so a broken disk is not hammered and a cause that
/// goes away is noticed without any traffic. <see cref="Health"/> says which state it is in; each change
/// of state is logged once.
/// </para>
/// </summary>
public sealed class SqliteEventJournal : IEventJournal, IAsyncDisposable
{
    // task_sid and worker_sid are stored for queries over the file (finding a task's events by hand, exports)
    // but not indexed: every index is paid for on the ingest path, and the engine reads by neither.
    // seq is the rowid: the journal is append-only, so max+1 only ever grows, and (unlike AUTOINCREMENT)
    // a duplicate refused by ON CONFLICT leaves no gap.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS events (
            seq           INTEGER PRIMARY KEY,
            platform      TEXT    NOT NULL,
            event_sid     TEXT    NOT NULL UNIQUE,
            event_type    TEXT    NOT NULL,
            event_time_ms INTEGER NOT NULL,
            task_sid      TEXT,
            worker_sid    TEXT,
            format        TEXT    NOT NULL,
            payload       TEXT    NOT NULL,
            arrived_ms    INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_events_platform_time ON events (platform, event_time_ms, seq);
        """;

    private const string Columns = "seq, platform, event_sid, event_type, event_time_ms, task_sid, worker_sid, format, payload, arrived_ms";

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _readConnectionString;
    private readonly RecentAppends _recent = new();
    private readonly string _writerConnectionString;
    private readonly SqliteJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly JournalInstruments _instruments;
    private readonly ILogger _logger;
    private readonly Task _writeLoop;
    private WriterSession? _session;
    private ITimer? _retryTimer;
    private JournalHealth _health;
    private bool _opened;
    private bool _folderWarned;
    private FileStream? _instanceLock;
    private TaskCompletionSource _commitSignal = NewSignal();
    private long _highWater;
    private int _disposed;

    /// <summary>
    /// Opens the journal. A file that cannot be opened for writing does not throw: the journal starts
    /// <see cref="JournalState.Failing"/> and keeps trying (see <see cref="Health"/>).
    /// </summary>
    public SqliteEventJournal(SqliteJournalOptions options, TimeProvider time, JournalInstruments instruments, ILogger<SqliteEventJournal> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BusyTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RetryDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRetryDelay, options.RetryDelay, nameof(options));
        _options = options;
        _time = time;
        _instruments = instruments;
        _logger = logger;

        var fullPath = System.IO.Path.GetFullPath(options.Path);
        Path = fullPath;

        // Microsoft.Data.Sqlite retries a busy statement until its command timeout, in whole seconds.
        var busySeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);

        // Neither kind of connection creates the file: only the writer's open does, with its mode
        // (PrivateDataFiles), and a read racing ahead of it must not make one with the umask's.
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = busySeconds,
        }.ToString();

        // The writer is never pooled: after a failure it must be a fresh open, not the same handle again.
        _writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = busySeconds,
        }.ToString();

        _health = new JournalHealth(JournalState.Writable, time.GetUtcNow(), null, null, 0, null);
        // Another engine holding this journal stops this one here, before anything is written (JournalInUseException).
        TryOpen(failWhenInUse: true);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The file whose exclusive lock says this process owns the journal (<c>&lt;journal&gt;.lock</c>).</summary>
    public string LockPath => Path + ".lock";

    public long HighWaterSequence => Volatile.Read(ref _highWater);

    public JournalHealth Health => Volatile.Read(ref _health);

    public Task<IReadOnlyList<JournalAppendResult>> AppendAsync(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<JournalAppendResult>>([]);
        }

        var pending = new PendingAppend(entries, _time.GetUtcNow().ToUnixTimeMilliseconds());
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Done.Task;
    }

    public async Task WaitForCommitAsync(long afterSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before reading the high-water mark so a commit in between is not missed.
            var signal = Volatile.Read(ref _commitSignal);
            if (HighWaterSequence > afterSequence)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<JournalRecord>> ReadAfterSequenceAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM events WHERE seq > $after ORDER BY seq LIMIT $limit;";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<JournalRecord>(Math.Min(limit, 1024));
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    public async IAsyncEnumerable<JournalRecord> ReadByEventTimeAsync(string platformId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM events
            WHERE platform = $platform AND event_time_ms >= $from AND event_time_ms < $to
            ORDER BY event_time_ms, seq;
            """;
        command.Parameters.AddWithValue("$platform", platformId);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRecord(reader);
        }
    }

    public async Task<long?> LatestEventTimeAsync(string platformId, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // ix_events_platform_time answers this from its last entry for the platform.
        command.CommandText = "SELECT MAX(event_time_ms) FROM events WHERE platform = $platform;";
        command.Parameters.AddWithValue("$platform", platformId);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? ms : null;
    }

    public async ValueTask DisposeAsync()
    {
        // A container that registered this instance under two service types disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writeLoop;
        _retryTimer?.Dispose();
        CloseWriter();
        _instanceLock?.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        var results = new List<JournalAppendResult[]>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var records = 0;
            var retryDue = false;
            while (records < _options.MaxBatchRecords && _queue.Reader.TryRead(out var pending))
            {
                if (ReferenceEquals(pending, PendingAppend.RetryDue))
                {
                    retryDue = true;
                    continue;
                }

                batch.Add(pending);
                records += pending.Entries.Count;
            }

            if (_session is null)
            {
                // Appends do not wait out the delay: they are refused now, and Twilio retries them.
                var due = retryDue || _time.GetUtcNow() >= Health.NextAttemptAt;
                if (!due || !TryOpen())
                {
                    Refuse(batch);
                    continue;
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                var duplicates = Commit(_session!, batch, results);
                _instruments.Committed(records, duplicates, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
#pragma warning disable CA1031 // The writer must outlive any one failed batch, or every later append would hang.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // Nothing of the batch is durable (the transaction rolled back), so none of it is acknowledged.
                CloseWriter();
                Failed(e, JournalOperation.Commit);
                Refuse(batch, e);
                continue;
            }

            // Only now, after COMMIT returned, may anyone learn that these events are journaled.
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }

            SignalCommit();
        }
    }

    /// <summary>Opens the writer connection; on failure records it and schedules the next attempt.</summary>
    private bool TryOpen(bool failWhenInUse = false)
    {
        long highWater;
        _recent.Clear();
        try
        {
            (_session, highWater) = OpenWriter();
        }
        catch (JournalInUseException) when (failWhenInUse)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever stops the open (I/O, permissions, a lock, a missing folder) is retried the same way.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(e, JournalOperation.Open);
            return false;
        }

        Volatile.Write(ref _highWater, highWater);
        if (!_opened)
        {
            _opened = true;
            JournalLog.Opened(_logger, Path, _options.Durability, HighWaterSequence);
        }

        Recovered();

        // Records committed before a failure (or by an earlier process) may now be visible to waiting readers.
        SignalCommit();
        return true;
    }

    /// <summary>
    /// Takes <see cref="LockPath"/> exclusively, held until the journal is disposed (the operating system lets go
    /// of it when the process dies, so a crash leaves nothing to clean up).
    /// </summary>
    private FileStream TakeInstanceLock()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new FileStream(LockPath, options);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(LockPath))
        {
            throw new JournalInUseException(
                $"The journal {Path} is in use by another process (it holds {LockPath}): is another LifelineRealtime running on this data folder?", e);
        }
    }

    private (WriterSession Session, long HighWater) OpenWriter()
    {
        if (!PrivateDataFiles.Prepare(Path) && !_folderWarned)
        {
            _folderWarned = true;
            JournalLog.FolderOpenToOthers(_logger, System.IO.Path.GetDirectoryName(Path)!);
        }

        _instanceLock ??= TakeInstanceLock();

        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();

            // SQLite opens a file it may not write read-only without saying so; every commit would then fail.
            if (raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw new IOException($"The journal file {Path} can only be opened read-only.");
            }

            using (var mode = connection.CreateCommand())
            {
                mode.CommandText = "PRAGMA journal_mode=WAL;";
                if (!string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new IOException($"The journal file {Path} could not be put in WAL mode.");
                }
            }

            Execute(connection, _options.Durability == JournalDurability.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
            // A larger page cache keeps the index pages of recent inserts in memory between commits.
            Execute(connection, "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;");
            Execute(connection, Schema);

            // The write lock must be ours to take (no other process holding it past the busy timeout), or the
            // journal would call itself writable only to fail the next commit.
            Execute(connection, "BEGIN IMMEDIATE; ROLLBACK;");

            using var max = connection.CreateCommand();
            max.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events;";
            var highWater = (long)max.ExecuteScalar()!;
            return (new WriterSession(connection), highWater);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Failed(Exception error, JournalOperation operation)
    {
        var now = _time.GetUtcNow();
        var previous = Health;
        var attempts = previous.FailedAttempts + 1;
        var delay = RetryDelayAfter(attempts);
        var failing = previous.State == JournalState.Failing;

        // The timer is set before the new state is published: whoever sees the state can rely on the retry.
        _retryTimer?.Dispose();
        _retryTimer = _time.CreateTimer(static state => ((SqliteEventJournal)state!)._queue.Writer.TryWrite(PendingAppend.RetryDue), this, delay, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref _health, new JournalHealth(JournalState.Failing, failing ? previous.Since : now, error.Message, now, attempts, now + delay));
        _instruments.Failed(operation, enteredFailing: !failing);

        if (failing)
        {
            JournalLog.StillFailing(_logger, Path, operation, attempts, delay, error);
        }
        else
        {
            JournalLog.Failing(_logger, Path, operation, delay, error);
        }
    }

    private void Recovered()
    {
        var previous = Health;
        if (previous.FailedAttempts == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        Volatile.Write(ref _health, new JournalHealth(JournalState.Writable, now, previous.LastError, previous.LastErrorAt, 0, null));
        _retryTimer?.Dispose();
        _retryTimer = null;
        _instruments.Recovered();
        JournalLog.Recovered(_logger, Path, now - previous.Since, previous.FailedAttempts, HighWaterSequence);
    }

    private TimeSpan RetryDelayAfter(int attempts)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, _options.MaxRetryDelay.Ticks));
    }

    private void Refuse(List<PendingAppend> batch, Exception? cause = null)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var health = Health;
        var retryAfter = health.NextAttemptAt is { } next ? next - _time.GetUtcNow() : _options.RetryDelay;
        var message = $"The journal cannot commit (since {health.Since:O}): {health.LastError}";
        foreach (var pending in batch)
        {
            pending.Done.TrySetException(new JournalUnavailableException(message, retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter, cause));
        }
    }

    private void CloseWriter()
    {
        _session?.Dispose();
        _session = null;

        // Pooled read connections opened during the trouble (read-only, or on a file since replaced) go too.
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private void SignalCommit() => Interlocked.Exchange(ref _commitSignal, NewSignal()).TrySetResult();

    private int Commit(WriterSession session, List<PendingAppend> batch, List<JournalAppendResult[]> results)
    {
        results.Clear();
        var duplicates = 0;
        var last = _highWater;
        var insert = session.Insert;
        var findExisting = session.FindExisting;
        using var transaction = session.Connection.BeginTransaction();
        insert.Transaction = transaction;
        findExisting.Transaction = transaction;
        foreach (var pending in batch)
        {
            var outcome = new JournalAppendResult[pending.Entries.Count];
            for (var i = 0; i < outcome.Length; i++)
            {
                var entry = pending.Entries[i];
                var e = entry.Event;
                var p = insert.Parameters;
                p[0].Value = entry.PlatformId;
                p[1].Value = e.Sid;
                p[2].Value = e.EventType;
                p[3].Value = e.TimestampMs;
                p[4].Value = (object?)e.TaskOf()?.Sid ?? DBNull.Value;
                p[5].Value = (object?)e.WorkerOf()?.Sid ?? DBNull.Value;
                p[6].Value = entry.Format.StoredName();
                p[7].Value = entry.Payload;
                p[8].Value = pending.ArrivedMs;
                if (insert.ExecuteScalar() is long sequence)
                {
                    outcome[i] = new JournalAppendResult(sequence, IsNew: true);
                    last = sequence;
                }
                else
                {
                    findExisting.Parameters[0].Value = e.Sid;
                    outcome[i] = new JournalAppendResult((long)findExisting.ExecuteScalar()!, IsNew: false);
                    duplicates++;
                }
            }

            results.Add(outcome);
        }

        transaction.Commit();
        Volatile.Write(ref _highWater, last);
        for (var b = 0; b < batch.Count; b++)
        {
            for (var i = 0; i < results[b].Length; i++)
            {
                if (results[b][i].IsNew)
                {
                    _recent.Add(results[b][i].Sequence, batch[b].Entries[i].Event, batch[b].Entries[i].Payload);
                }
            }
        }

        return duplicates;
    }

    /// <summary>
    /// A stored row as a record. Its event is the one appended in this process when <see cref="RecentAppends"/>
    /// still holds it (the payload is what that event was parsed from), else the payload parsed again.
    /// </summary>
    private JournalRecord ReadRecord(SqliteDataReader reader)
    {
        var sequence = reader.GetInt64(0);
        var format = JournalWireFormats.FromStoredName(reader.GetString(7));
        var payload = reader.GetString(8);
        var eventSid = reader.GetString(2);
        var eventType = reader.GetString(3);
        var eventTimeMs = reader.GetInt64(4);
        var (e, unreadable) = _recent.Find(sequence, payload) is { } appended
            ? (appended, null)
            : Parse(format, payload, eventSid, eventType, eventTimeMs);
        return new JournalRecord(
            sequence,
            reader.GetString(1),
            eventSid,
            eventType,
            eventTimeMs,
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            format,
            payload,
            reader.GetInt64(9),
            e,
            unreadable);
    }

    /// <summary>
    /// Parses a stored payload. Every payload was parsed before it was written; failing now means the file was
    /// altered. The record is read anyway, as an event that changes nothing, so one bad row cannot stop every reader.
    /// </summary>
    private static (TaskRouterEvent Event, string? Unreadable) Parse(JournalWireFormat format, string payload, string eventSid, string eventType, long eventTimeMs)
    {
        var parsed = TaskRouterEventParser.ParsePayload(format.ToPayloadFormat(), payload);
        if (parsed.Event is { } e)
        {
            return (e, null);
        }

        return (new UnknownEvent
        {
            Sid = eventSid,
            EventType = eventType,
            Type = TaskRouterEventType.Unknown,
            AccountSid = "",
            WorkspaceSid = "",
            TimestampMs = eventTimeMs,
        }, $"the payload no longer parses ({parsed.Errors[0].Field}: {parsed.Errors[0].Message})");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PendingAppend(IReadOnlyList<JournalEntry> entries, long arrivedMs)
    {
        /// <summary>Queued by the retry timer: the delay after a failure is over, try to open again.</summary>
        public static readonly PendingAppend RetryDue = new([], 0);

        public IReadOnlyList<JournalEntry> Entries { get; } = entries;

        public long ArrivedMs { get; } = arrivedMs;

        public TaskCompletionSource<IReadOnlyList<JournalAppendResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer connection with its prepared statements; only the write loop uses it.</summary>
    private sealed class WriterSession : IDisposable
    {
        public WriterSession(SqliteConnection connection)
        {
            Connection = connection;
            Insert = connection.CreateCommand();
            Insert.CommandText = """
                INSERT INTO events (platform, event_sid, event_type, event_time_ms, task_sid, worker_sid, format, payload, arrived_ms)
                VALUES ($platform, $sid, $type, $time, $task, $worker, $format, $payload, $arrived)
                ON CONFLICT (event_sid) DO NOTHING
                RETURNING seq;
                """;
            foreach (var name in (ReadOnlySpan<string>)["$platform", "$sid", "$type", "$time", "$task", "$worker", "$format", "$payload", "$arrived"])
            {
                Insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            FindExisting = connection.CreateCommand();
            FindExisting.CommandText = "SELECT seq FROM events WHERE event_sid = $sid;";
            FindExisting.Parameters.Add(new SqliteParameter { ParameterName = "$sid" });
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Insert { get; }

        public SqliteCommand FindExisting { get; }

        public void Dispose()
        {
            Insert.Dispose();
            FindExisting.Dispose();
            Connection.Dispose();
        }
    }
}
