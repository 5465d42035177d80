using System.Globalization;
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
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly SqliteGrainStorageOptions _options;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly string _connectionString;

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
        lifecycle.Subscribe(OptionFormattingUtilities.Name<SqliteGrainStorage>(_name), ServiceLifecycleStage.ApplicationServices, InitializeAsync);

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(_options.Path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
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
        Log.Initialized(_logger, _name);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, payload FROM grain_state WHERE service_id = $s AND state_name = $n AND grain_id = $g;";
        AddKey(command, stateName, grainId);
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
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        AddKey(command, stateName, grainId);
        command.Parameters.AddWithValue("$p", payload);

        long newVersion;
        if (grainState.ETag is null)
        {
            // First write of this grain: must not exist yet, or another activation got there first.
            newVersion = 1;
            command.CommandText = "INSERT OR IGNORE INTO grain_state (service_id, state_name, grain_id, version, payload) VALUES ($s, $n, $g, 1, $p);";
        }
        else
        {
            var expected = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
            newVersion = expected + 1;
            command.Parameters.AddWithValue("$v", expected);
            command.CommandText = "UPDATE grain_state SET version = version + 1, payload = $p WHERE service_id = $s AND state_name = $n AND grain_id = $g AND version = $v;";
        }

        if (await command.ExecuteNonQueryAsync() != 1)
        {
            Log.VersionConflict(_logger, _name, stateName, grainId);
            throw new InconsistentStateException($"Version conflict writing state '{stateName}' of {grainId} in storage '{_name}'", "unknown", grainState.ETag ?? "none");
        }

        grainState.ETag = newVersion.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        AddKey(command, stateName, grainId);
        if (grainState.ETag is null)
        {
            command.CommandText = "DELETE FROM grain_state WHERE service_id = $s AND state_name = $n AND grain_id = $g;";
        }
        else
        {
            command.Parameters.AddWithValue("$v", long.Parse(grainState.ETag, CultureInfo.InvariantCulture));
            command.CommandText = "DELETE FROM grain_state WHERE service_id = $s AND state_name = $n AND grain_id = $g AND version = $v;";
            if (await command.ExecuteNonQueryAsync() != 1)
            {
                throw new InconsistentStateException($"Version conflict clearing state '{stateName}' of {grainId} in storage '{_name}'", "unknown", grainState.ETag);
            }

            command.CommandText = "SELECT 1";
        }

        await command.ExecuteNonQueryAsync();
        grainState.State = CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$n", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // A checkpoint writes thousands of grain states; with the default FULL each one waits for its own
        // fsync. NORMAL in WAL mode still survives a process kill, and keeps writes in order, so after a
        // power loss the newest states (and the checkpoint written after them) fall back together and
        // the journal, which is FULL and the source of truth, is replayed from the older checkpoint.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static T CreateDefault<T>() => Activator.CreateInstance<T>();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "SQLite grain storage '{Name}' ready")]
        public static partial void Initialized(ILogger logger, string name);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "SQLite grain storage '{Name}': version conflict on state '{StateName}' of {GrainId}")]
        public static partial void VersionConflict(ILogger logger, string name, string stateName, GrainId grainId);
    }
}
