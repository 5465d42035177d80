using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Backfill;

/// <summary>
/// Backfill's reconciliation records as tables beside the journal's events, in the same SQLite file
/// (<see cref="SqliteSideTables"/>): one file to back up, and the records describe the journal they sit next to.
/// Writes are a few per fill.
/// </summary>
public sealed class SqliteBackfillRecords : IBackfillRecords
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS backfill_fills (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            platform    TEXT    NOT NULL,
            triggers    TEXT    NOT NULL,
            from_ms     INTEGER NOT NULL,
            to_ms       INTEGER NOT NULL,
            started_ms  INTEGER NOT NULL,
            finished_ms INTEGER,
            pages       INTEGER NOT NULL DEFAULT 0,
            seen        INTEGER NOT NULL DEFAULT 0,
            new         INTEGER NOT NULL DEFAULT 0,
            duplicate   INTEGER NOT NULL DEFAULT 0,
            refused     INTEGER NOT NULL DEFAULT 0,
            unparsable  INTEGER NOT NULL DEFAULT 0,
            outcome     TEXT    NOT NULL,
            reason      TEXT,
            retried_by  INTEGER
        );
        CREATE INDEX IF NOT EXISTS ix_backfill_fills_platform ON backfill_fills (platform, id);
        CREATE TABLE IF NOT EXISTS backfill_checked (
            platform   TEXT    PRIMARY KEY,
            checked_ms INTEGER NOT NULL
        );
        """;

    private const string Columns = "id, platform, triggers, from_ms, to_ms, started_ms, finished_ms, pages, seen, new, duplicate, refused, unparsable, outcome, reason, retried_by";

    private readonly SqliteSideTables _tables;

    /// <param name="databasePath">The journal's SQLite file.</param>
    /// <param name="busyTimeout">How long a call waits for a lock held by the journal's writer.</param>
    public SqliteBackfillRecords(string databasePath, TimeSpan? busyTimeout = null)
    {
        _tables = new SqliteSideTables(databasePath, Schema, busyTimeout);
    }

    public async Task<FillRecord> StartAsync(string platformId, string triggers, long fromMs, long toMs, long startedMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO backfill_fills (platform, triggers, from_ms, to_ms, started_ms, outcome)
            VALUES ($platform, $triggers, $from, $to, $started, 'running')
            RETURNING {Columns};
            """;
        command.Parameters.AddWithValue("$platform", platformId);
        command.Parameters.AddWithValue("$triggers", triggers);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        command.Parameters.AddWithValue("$started", startedMs);
        return await SingleAsync(command, cancellationToken);
    }

    public async Task<FillRecord> FinishAsync(long id, FillResult result, long coveredFromMs, long finishedMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            UPDATE backfill_fills SET finished_ms = $finished, pages = $pages, seen = $seen, new = $new, duplicate = $duplicate,
                refused = $refused, unparsable = $unparsable, outcome = $outcome, reason = $reason
            WHERE id = $id;
            UPDATE backfill_fills SET retried_by = $id
            WHERE $outcome = 'ok' AND retried_by IS NULL AND outcome IN ('failed', 'partial') AND id <> $id
              AND platform = (SELECT platform FROM backfill_fills WHERE id = $id)
              AND from_ms >= MIN($covered, (SELECT from_ms FROM backfill_fills WHERE id = $id))
              AND to_ms <= (SELECT to_ms FROM backfill_fills WHERE id = $id);
            SELECT {Columns} FROM backfill_fills WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$covered", coveredFromMs);
        command.Parameters.AddWithValue("$finished", finishedMs);
        command.Parameters.AddWithValue("$pages", result.Pages);
        command.Parameters.AddWithValue("$seen", result.Seen);
        command.Parameters.AddWithValue("$new", result.New);
        command.Parameters.AddWithValue("$duplicate", result.Duplicate);
        command.Parameters.AddWithValue("$refused", result.Refused);
        command.Parameters.AddWithValue("$unparsable", result.Unparsable);
        command.Parameters.AddWithValue("$outcome", Name(result.Outcome));
        command.Parameters.AddWithValue("$reason", (object?)result.Reason ?? DBNull.Value);
        var record = await SingleAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<FillRecord> UnrecoverableAsync(string platformId, string triggers, long fromMs, long toMs, long atMs, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A failed fill that lies wholly in this period can never be read now: it is settled by this record.
        command.CommandText = $"""
            INSERT INTO backfill_fills (platform, triggers, from_ms, to_ms, started_ms, finished_ms, outcome, reason)
            VALUES ($platform, $triggers, $from, $to, $at, $at, 'unrecoverable', $reason);
            UPDATE backfill_fills SET retried_by = last_insert_rowid()
            WHERE platform = $platform AND retried_by IS NULL AND outcome IN ('failed', 'partial') AND from_ms >= $from AND to_ms <= $to;
            SELECT {Columns} FROM backfill_fills WHERE id = last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$platform", platformId);
        command.Parameters.AddWithValue("$triggers", triggers);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        command.Parameters.AddWithValue("$at", atMs);
        command.Parameters.AddWithValue("$reason", reason);
        return await SingleAsync(command, cancellationToken);
    }

    public async Task<int> InterruptedAsync(long atMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE backfill_fills SET outcome = 'failed', finished_ms = $at, reason = 'interrupted: the engine stopped before the fill finished'
            WHERE outcome = 'running';
            """;
        command.Parameters.AddWithValue("$at", atMs);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FillRecord>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM backfill_fills WHERE outcome IN ('failed', 'partial') AND retried_by IS NULL ORDER BY id;";
        return await ListAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FillRecord>> RecentAsync(string? platformId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM backfill_fills WHERE $platform IS NULL OR platform = $platform ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$platform", (object?)platformId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return await ListAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<(string PlatformId, FillRecord? Last, FillRecord? LastFailure)>> LatestAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM backfill_fills WHERE id IN (
                SELECT MAX(id) FROM backfill_fills WHERE outcome <> 'running' GROUP BY platform
                UNION
                SELECT MAX(id) FROM backfill_fills WHERE outcome IN ('failed', 'partial') GROUP BY platform)
            ORDER BY platform, id;
            """;
        var records = await ListAsync(command, cancellationToken);
        return [.. records.GroupBy(r => r.PlatformId, StringComparer.Ordinal).Select(g => (
            g.Key,
            g.LastOrDefault(r => r.Outcome != FillOutcome.Running),
            g.LastOrDefault(r => r.Outcome is FillOutcome.Failed or FillOutcome.Partial)))];
    }

    public async Task<long?> CheckedAsync(string platformId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT checked_ms FROM backfill_checked WHERE platform = $platform;";
        command.Parameters.AddWithValue("$platform", platformId);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? ms : null;
    }

    public async Task SetCheckedAsync(string platformId, long checkedMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO backfill_checked (platform, checked_ms) VALUES ($platform, $checked)
            ON CONFLICT (platform) DO UPDATE SET checked_ms = MAX(checked_ms, excluded.checked_ms);
            """;
        command.Parameters.AddWithValue("$platform", platformId);
        command.Parameters.AddWithValue("$checked", checkedMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<FillRecord> SingleAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        (await ListAsync(command, cancellationToken)) is [var record] ? record : throw new InvalidOperationException("no such backfill record");

    private static async Task<IReadOnlyList<FillRecord>> ListAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = new List<FillRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new FillRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.GetInt32(7),
                reader.GetInt32(8),
                reader.GetInt32(9),
                reader.GetInt32(10),
                reader.GetInt32(11),
                reader.GetInt32(12),
                Parse(reader.GetString(13)),
                reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetInt64(15)));
        }

        return records;
    }

    /// <summary>The name stored (and shown) for an outcome.</summary>
    public static string Name(FillOutcome outcome) => outcome switch
    {
        FillOutcome.Running => "running",
        FillOutcome.Ok => "ok",
        FillOutcome.Partial => "partial",
        FillOutcome.Failed => "failed",
        FillOutcome.Unrecoverable => "unrecoverable",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown fill outcome"),
    };

    private static FillOutcome Parse(string name) => name switch
    {
        "running" => FillOutcome.Running,
        "ok" => FillOutcome.Ok,
        "partial" => FillOutcome.Partial,
        "failed" => FillOutcome.Failed,
        "unrecoverable" => FillOutcome.Unrecoverable,
        _ => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Unknown backfill outcome: {name}")),
    };
}
