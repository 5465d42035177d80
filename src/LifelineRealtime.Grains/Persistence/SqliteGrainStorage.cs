using System.Globalization;
using System.Threading.Channels;
using LifelineRealtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace LifelineRealtime.Grains.Persistence;

/// <summary>
/// Orleans grain storage in a SQLite file, for the embedded (single-process) mode. One row per
/// (service, state name, grain id); the ETag is a row version that every write increments, so a
/// second activation writing over a newer state fails with <see cref="InconsistentStateException"/>
/// instead of losing data. WAL mode keeps readers off the writer's back.
/// <para>
/// Writes are group-committed: a checkpoint flushes thousands of grains at once, and one transaction
/// per grain spent most of the dispatcher's time in SQLite's commit path. Every write waits for the
/// transaction that holds it, and each keeps its own version check, so one conflict fails only its own
/// write.
/// </para>
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>Most writes one transaction carries; a bigger backlog is committed in several.</summary>
    private const int MaxWritesPerCommit = 512;

    /// <summary>
    /// <c>PRAGMA user_version</c> of a file whose states are in Orleans' binary form. Files from before
    /// (JSON states) are emptied at start: grain state is derived, and an empty store makes the
    /// dispatcher replay the journal from its first record.
    /// </summary>
    private const int StateFormat = 2;

    private readonly string _name;
    private readonly string _serviceId;
    private readonly SqliteGrainStorageOptions _options;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly string _connectionString;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _start = new(1, 1);
    private Task? _writer;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, IOptions<ClusterOptions> clusterOptions, ILogger<SqliteGrainStorage> logger)
    {
        _name = name;
        _options = options;
        _serviceId = clusterOptions.Value.ServiceId;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<SqliteGrainStorage>(_name), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await EnsureStartedAsync(CancellationToken.None);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, payload FROM grain_state WHERE service_id = $s AND state_name = $n AND grain_id = $g;";
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$n", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var version = reader.GetInt64(0);
        var payload = (byte[])reader.GetValue(1);
        grainState.State = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _options.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        var expected = ParseETag(grainState.ETag);
        if (!await SubmitAsync(new PendingWrite(stateName, grainId.ToString(), expected, payload)))
        {
            Log.VersionConflict(_logger, _name, stateName, grainId);
            throw new InconsistentStateException($"Version conflict writing state '{stateName}' of {grainId} in storage '{_name}'", "unknown", grainState.ETag ?? "none");
        }

        grainState.ETag = ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = ParseETag(grainState.ETag);
        if (!await SubmitAsync(new PendingWrite(stateName, grainId.ToString(), expected, Payload: null)) && expected is not null)
        {
            throw new InconsistentStateException($"Version conflict clearing state '{stateName}' of {grainId} in storage '{_name}'", "unknown", grainState.ETag ?? "none");
        }

        grainState.State = CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer.ConfigureAwait(false);
        }

        _start.Dispose();
    }

    private Task StartAsync(CancellationToken cancellationToken) => EnsureStartedAsync(cancellationToken);

    /// <summary>
    /// Grains deactivate (and write) before this stage stops, so the queue is empty or nearly so here; it
    /// is drained, not dropped. A write that still arrives later is committed on its own connection.
    /// </summary>
    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _writes.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer.WaitAsync(cancellationToken);
        }
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        await _start.WaitAsync(cancellationToken);
        try
        {
            if (_writer is not null)
            {
                return;
            }

            // Grain state holds names too: the file is created private (0600) before SQLite opens it, so its
            // -wal and -shm files are as well, and the folder is closed to others (0700) where it can be.
            if (!PrivateDataFiles.Prepare(_options.Path))
            {
                Log.FolderOpenToOthers(_logger, _name, Path.GetDirectoryName(Path.GetFullPath(_options.Path))!);
            }

            var connection = await OpenAsync(cancellationToken);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    PRAGMA journal_mode=WAL;
                    CREATE TABLE IF NOT EXISTS grain_state (
                        service_id TEXT NOT NULL,
                        state_name TEXT NOT NULL,
                        grain_id   TEXT NOT NULL,
                        version    INTEGER NOT NULL,
                        payload    BLOB NOT NULL,
                        PRIMARY KEY (service_id, state_name, grain_id)
                    ) WITHOUT ROWID;
                    """;
                await command.ExecuteNonQueryAsync(cancellationToken);
                command.CommandText = "PRAGMA user_version;";
                var format = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                if (format != StateFormat)
                {
                    command.CommandText = "DELETE FROM grain_state;";
                    var discarded = await command.ExecuteNonQueryAsync(cancellationToken);
                    if (discarded > 0)
                    {
                        Log.OlderFormatDiscarded(_logger, _name, discarded, format);
                    }

                    command.CommandText = $"PRAGMA user_version = {StateFormat};";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            Volatile.Write(ref _writer, Task.Run(() => WriteLoopAsync(connection), CancellationToken.None));
            Log.Initialized(_logger, _name);
        }
        finally
        {
            _start.Release();
        }
    }

    private async Task<bool> SubmitAsync(PendingWrite write)
    {
        await EnsureStartedAsync(CancellationToken.None);
        if (_writes.Writer.TryWrite(write))
        {
            return await write.Done.Task;
        }

        // The writer has stopped (silo shutting down): commit this one write by itself.
        await using var connection = await OpenAsync(CancellationToken.None);
        using var statements = new Statements(connection, _serviceId);
        return statements.Execute(write);
    }

    private async Task WriteLoopAsync(SqliteConnection connection)
    {
        await using (connection)
        {
            using var statements = new Statements(connection, _serviceId);
            var batch = new List<PendingWrite>(MaxWritesPerCommit);
            var results = new bool[MaxWritesPerCommit];
            while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < MaxWritesPerCommit && _writes.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                try
                {
                    using (var transaction = connection.BeginTransaction())
                    {
                        statements.Enlist(transaction);
                        for (var i = 0; i < batch.Count; i++)
                        {
                            results[i] = statements.Execute(batch[i]);
                        }

                        transaction.Commit();
                    }

                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(results[i]);
                    }
                }
                catch (Exception e)
                {
                    // Nothing of this transaction was committed: every write in it fails, and each grain
                    // keeps its state dirty (the dispatcher retries; deactivation reports it).
                    Log.CommitFailed(_logger, _name, batch.Count, e);
                    foreach (var write in batch)
                    {
                        write.Done.TrySetException(e);
                    }
                }

                batch.Clear();
            }
        }
    }

    /// <summary>A connection for writing (reads open theirs without the pragma).</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // NORMAL in WAL mode still survives a process kill and keeps commits in order, so after a power
        // loss the newest states (and the checkpoint written after them) fall back together and the
        // journal, which is FULL and the source of truth, is replayed from the older checkpoint.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static long? ParseETag(string? etag) => etag is null ? null : long.Parse(etag, CultureInfo.InvariantCulture);

    private static T CreateDefault<T>() => Activator.CreateInstance<T>();

    /// <summary>One queued write or delete: <see cref="Payload"/> null deletes; <see cref="Expected"/> null means "must not exist" for a write and "any version" for a delete.</summary>
    private sealed record PendingWrite(string StateName, string GrainId, long? Expected, byte[]? Payload)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The prepared statements of one connection, reused for every write it commits.</summary>
    private sealed class Statements : IDisposable
    {
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _update;
        private readonly SqliteCommand _delete;
        private readonly SqliteCommand _deleteVersion;

        public Statements(SqliteConnection connection, string serviceId)
        {
            _insert = Create(connection, serviceId, "INSERT OR IGNORE INTO grain_state (service_id, state_name, grain_id, version, payload) VALUES ($s, $n, $g, 1, $p);");
            _update = Create(connection, serviceId, "UPDATE grain_state SET version = version + 1, payload = $p WHERE service_id = $s AND state_name = $n AND grain_id = $g AND version = $v;");
            _delete = Create(connection, serviceId, "DELETE FROM grain_state WHERE service_id = $s AND state_name = $n AND grain_id = $g;");
            _deleteVersion = Create(connection, serviceId, "DELETE FROM grain_state WHERE service_id = $s AND state_name = $n AND grain_id = $g AND version = $v;");
        }

        public void Enlist(SqliteTransaction transaction)
        {
            _insert.Transaction = transaction;
            _update.Transaction = transaction;
            _delete.Transaction = transaction;
            _deleteVersion.Transaction = transaction;
        }

        /// <summary>Runs one write; false when its version check failed.</summary>
        public bool Execute(PendingWrite write)
        {
            var command = (write.Payload, write.Expected) switch
            {
                (null, null) => _delete,
                (null, _) => _deleteVersion,
                (_, null) => _insert,
                _ => _update,
            };
            command.Parameters["$n"].Value = write.StateName;
            command.Parameters["$g"].Value = write.GrainId;
            if (command.Parameters.Contains("$p"))
            {
                command.Parameters["$p"].Value = write.Payload;
            }

            if (command.Parameters.Contains("$v"))
            {
                command.Parameters["$v"].Value = write.Expected;
            }

            var rows = command.ExecuteNonQuery();
            return write.Payload is null && write.Expected is null || rows == 1;
        }

        public void Dispose()
        {
            _insert.Dispose();
            _update.Dispose();
            _delete.Dispose();
            _deleteVersion.Dispose();
        }

        private static SqliteCommand Create(SqliteConnection connection, string serviceId, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$s", serviceId);
            command.Parameters.Add("$n", SqliteType.Text);
            command.Parameters.Add("$g", SqliteType.Text);
            if (sql.Contains("$p", StringComparison.Ordinal))
            {
                command.Parameters.Add("$p", SqliteType.Blob);
            }

            if (sql.Contains("$v", StringComparison.Ordinal))
            {
                command.Parameters.Add("$v", SqliteType.Integer);
            }

            return command;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "SQLite grain storage '{Name}' ready")]
        public static partial void Initialized(ILogger logger, string name);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "SQLite grain storage '{Name}': version conflict on state '{StateName}' of {GrainId}")]
        public static partial void VersionConflict(ILogger logger, string name, string stateName, GrainId grainId);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "SQLite grain storage '{Name}': a commit of {Count} writes failed; each of them is reported to its grain")]
        public static partial void CommitFailed(ILogger logger, string name, int count, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "SQLite grain storage '{Name}': discarded {Count} states written in older format {Format}; they are rebuilt from the journal")]
        public static partial void OlderFormatDiscarded(ILogger logger, string name, int count, int format);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "SQLite grain storage '{Name}': folder {Folder} is open to other users and could not be restricted to its owner; the state files in it are private (0600)")]
        public static partial void FolderOpenToOthers(ILogger logger, string name, string folder);
    }
}
