using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Quarantine;

/// <summary>
/// The quarantine as a table beside the journal's events, in the same SQLite file: one file to back up, and
/// a quarantined sequence always refers to the journal it sits next to. Writes are rare (a poison record),
/// so each call opens its own pooled connection. It never creates the file (the journal does, privately)
/// and touches it only when called, so a journal that cannot be opened yet fails the call, not the start.
/// </summary>
public sealed class SqliteDispatchQuarantine : IDispatchQuarantine
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS quarantine (
            seq            INTEGER PRIMARY KEY,
            platform       TEXT    NOT NULL,
            event_sid      TEXT    NOT NULL,
            event_type     TEXT    NOT NULL,
            error          TEXT    NOT NULL,
            quarantined_ms INTEGER NOT NULL,
            attempts       INTEGER NOT NULL
        );
        """;

    private readonly SqliteSideTables _tables;
    private int _count = -1;

    /// <param name="databasePath">The journal's SQLite file.</param>
    /// <param name="busyTimeout">How long a call waits for a lock held by the journal's writer.</param>
    public SqliteDispatchQuarantine(string databasePath, TimeSpan? busyTimeout = null)
    {
        _tables = new SqliteSideTables(databasePath, Schema, busyTimeout);
    }

    public int Count => Math.Max(0, Volatile.Read(ref _count));

    public async Task<IReadOnlySet<long>> SequencesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM quarantine;";
        var sequences = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sequences.Add(reader.GetInt64(0));
        }

        Volatile.Write(ref _count, sequences.Count);
        return sequences;
    }

    public async Task AddAsync(QuarantinedRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A record quarantined again keeps the time it was first set aside; its error and attempts are the latest.
        command.CommandText = """
            INSERT INTO quarantine (seq, platform, event_sid, event_type, error, quarantined_ms, attempts)
            VALUES ($seq, $platform, $sid, $type, $error, $time, $attempts)
            ON CONFLICT (seq) DO UPDATE SET error = excluded.error, attempts = quarantine.attempts + excluded.attempts;
            SELECT COUNT(*) FROM quarantine;
            """;
        command.Parameters.AddWithValue("$seq", record.Sequence);
        command.Parameters.AddWithValue("$platform", record.PlatformId);
        command.Parameters.AddWithValue("$sid", record.EventSid);
        command.Parameters.AddWithValue("$type", record.EventType);
        command.Parameters.AddWithValue("$error", record.Error);
        command.Parameters.AddWithValue("$time", record.QuarantinedMs);
        command.Parameters.AddWithValue("$attempts", record.Attempts);
        Volatile.Write(ref _count, Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<QuarantinedRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, platform, event_sid, event_type, error, quarantined_ms, attempts FROM quarantine ORDER BY seq;";
        var records = new List<QuarantinedRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new QuarantinedRecord(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5), reader.GetInt32(6)));
        }

        Volatile.Write(ref _count, records.Count);
        return records;
    }

    public async Task RemoveAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM quarantine WHERE seq = $seq; SELECT COUNT(*) FROM quarantine;";
        command.Parameters.AddWithValue("$seq", sequence);
        Volatile.Write(ref _count, Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _tables.OpenAsync(cancellationToken);
}
