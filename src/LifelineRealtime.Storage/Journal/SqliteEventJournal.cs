using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Storage.Journal;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode. Appends are queued and a single writer commits
/// everything queued in one transaction (group commit), then completes all of them together; so one
/// fsync serves a whole burst, and sequence numbers are handed out in commit order by the only writer.
/// Reads use their own pooled connections and never block the writer (WAL).
/// </summary>
public sealed class SqliteEventJournal : IEventJournal, IAsyncDisposable
{
    // task_sid and worker_sid are kept for routing and later queries but not indexed yet: every index is
    // paid for on the ingest path, and nothing reads by them so far.
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
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _findExisting;
    private readonly TimeProvider _time;
    private readonly JournalInstruments _instruments;
    private readonly ILogger _logger;
    private readonly int _maxBatchRecords;
    private readonly Task _writeLoop;
    private TaskCompletionSource _commitSignal = NewSignal();
    private long _highWater;
    private int _disposed;

    public SqliteEventJournal(SqliteJournalOptions options, TimeProvider time, JournalInstruments instruments, ILogger<SqliteEventJournal> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _instruments = instruments;
        _logger = logger;
        _maxBatchRecords = options.MaxBatchRecords;

        var fullPath = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        Path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = true }.ToString();

        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, options.Durability == JournalDurability.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        // A larger page cache keeps the index pages of recent inserts in memory between commits.
        Execute(_writer, "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;");
        Execute(_writer, Schema);

        _insert = _writer.CreateCommand();
        _insert.CommandText = """
            INSERT INTO events (platform, event_sid, event_type, event_time_ms, task_sid, worker_sid, format, payload, arrived_ms)
            VALUES ($platform, $sid, $type, $time, $task, $worker, $format, $payload, $arrived)
            ON CONFLICT (event_sid) DO NOTHING
            RETURNING seq;
            """;
        foreach (var name in (ReadOnlySpan<string>)["$platform", "$sid", "$type", "$time", "$task", "$worker", "$format", "$payload", "$arrived"])
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _findExisting = _writer.CreateCommand();
        _findExisting.CommandText = "SELECT seq FROM events WHERE event_sid = $sid;";
        _findExisting.Parameters.Add(new SqliteParameter { ParameterName = "$sid" });

        using (var max = _writer.CreateCommand())
        {
            max.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events;";
            _highWater = (long)max.ExecuteScalar()!;
        }

        JournalLog.Opened(_logger, fullPath, options.Durability, _highWater);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public long HighWaterSequence => Volatile.Read(ref _highWater);

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
        await using var connection = new SqliteConnection(_connectionString);
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
        await using var connection = new SqliteConnection(_connectionString);
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

    public async ValueTask DisposeAsync()
    {
        // A container that registered this instance under two service types disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writeLoop;
        _insert.Dispose();
        _findExisting.Dispose();
        await _writer.DisposeAsync();
        // Pooled read connections would keep the file (and its WAL) open after the journal is gone.
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        var results = new List<JournalAppendResult[]>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var records = 0;
            while (records < _maxBatchRecords && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                records += pending.Entries.Count;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                var duplicates = Commit(batch, results);
                _instruments.Committed(records, duplicates, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
#pragma warning disable CA1031 // The writer must outlive any one failed batch, or every later append would hang.
            catch (Exception e)
#pragma warning restore CA1031
            {
                JournalLog.CommitFailed(_logger, records, e);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }

                continue;
            }

            // Only now, after COMMIT returned, may anyone learn that these events are journaled.
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }

            Interlocked.Exchange(ref _commitSignal, NewSignal()).TrySetResult();
        }
    }

    private int Commit(List<PendingAppend> batch, List<JournalAppendResult[]> results)
    {
        results.Clear();
        var duplicates = 0;
        var last = _highWater;
        using var transaction = _writer.BeginTransaction();
        _insert.Transaction = transaction;
        _findExisting.Transaction = transaction;
        foreach (var pending in batch)
        {
            var outcome = new JournalAppendResult[pending.Entries.Count];
            for (var i = 0; i < outcome.Length; i++)
            {
                var entry = pending.Entries[i];
                var e = entry.Event;
                var p = _insert.Parameters;
                p[0].Value = entry.PlatformId;
                p[1].Value = e.Sid;
                p[2].Value = e.EventType;
                p[3].Value = e.TimestampMs;
                p[4].Value = (object?)TaskSidOf(e) ?? DBNull.Value;
                p[5].Value = (object?)WorkerSidOf(e) ?? DBNull.Value;
                p[6].Value = FormatName(entry.Format);
                p[7].Value = entry.Payload;
                p[8].Value = pending.ArrivedMs;
                if (_insert.ExecuteScalar() is long sequence)
                {
                    outcome[i] = new JournalAppendResult(sequence, IsNew: true);
                    last = sequence;
                }
                else
                {
                    _findExisting.Parameters[0].Value = e.Sid;
                    outcome[i] = new JournalAppendResult((long)_findExisting.ExecuteScalar()!, IsNew: false);
                    duplicates++;
                }
            }

            results.Add(outcome);
        }

        transaction.Commit();
        Volatile.Write(ref _highWater, last);
        return duplicates;
    }

    private static JournalRecord ReadRecord(SqliteDataReader reader)
    {
        var sequence = reader.GetInt64(0);
        var format = ParseFormat(reader.GetString(7));
        var payload = reader.GetString(8);
        var parsed = format == JournalWireFormat.Form
            ? TaskRouterEventParser.ParseFormBody(payload)
            : TaskRouterEventParser.ParseCloudEvent(payload);
        var eventSid = reader.GetString(2);
        var eventType = reader.GetString(3);
        var eventTimeMs = reader.GetInt64(4);

        // Every payload was parsed before it was written; failing now means the file was altered. The record
        // is read anyway, as an event that changes nothing, so one bad row cannot stop every reader.
        var unreadable = parsed.IsSuccess ? null : $"the payload no longer parses ({parsed.Errors[0].Field}: {parsed.Errors[0].Message})";
        var e = parsed.Event ?? new UnknownEvent
        {
            Sid = eventSid,
            EventType = eventType,
            Type = TaskRouterEventType.Unknown,
            AccountSid = "",
            WorkspaceSid = "",
            TimestampMs = eventTimeMs,
        };

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

    private static string? TaskSidOf(TaskRouterEvent e) => e switch
    {
        TaskEvent t => t.Task.Sid,
        ReservationEvent r => r.Task.Sid,
        TransferEvent t => t.Task.Sid,
        _ => null,
    };

    private static string? WorkerSidOf(TaskRouterEvent e) => e switch
    {
        ReservationEvent r => r.Worker?.Sid,
        WorkerEvent w => w.Worker.Sid,
        _ => null,
    };

    private static string FormatName(JournalWireFormat format) => format == JournalWireFormat.Form ? "form" : "eventstreams";

    private static JournalWireFormat ParseFormat(string name) => name switch
    {
        "form" => JournalWireFormat.Form,
        "eventstreams" => JournalWireFormat.EventStreams,
        _ => throw new InvalidDataException("Unknown journal wire format: " + name),
    };

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PendingAppend(IReadOnlyList<JournalEntry> entries, long arrivedMs)
    {
        public IReadOnlyList<JournalEntry> Entries { get; } = entries;

        public long ArrivedMs { get; } = arrivedMs;

        public TaskCompletionSource<IReadOnlyList<JournalAppendResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
