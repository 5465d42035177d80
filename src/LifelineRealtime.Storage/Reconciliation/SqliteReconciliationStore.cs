using System.Collections.Immutable;
using System.Globalization;
using LifelineRealtime.Domain.Reconciliation;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Reconciliation;

/// <summary>
/// Reconciliation results as tables beside the journal's events (<see cref="SqliteSideTables"/>): a run per
/// platform and day, its queues, and each queue's measures. A day saved again is deleted and written in one
/// transaction, so a reader sees the old run or the new one, never a mix.
/// </summary>
public sealed class SqliteReconciliationStore : IReconciliationStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS reconciliation_run (
            platform   TEXT    NOT NULL,
            date       TEXT    NOT NULL,
            from_ms    INTEGER NOT NULL,
            to_ms      INTEGER NOT NULL,
            ran_ms     INTEGER NOT NULL,
            outcome    TEXT    NOT NULL,
            reason     TEXT,
            PRIMARY KEY (platform, date)
        );
        CREATE TABLE IF NOT EXISTS reconciliation_queue (
            platform   TEXT    NOT NULL,
            date       TEXT    NOT NULL,
            queue_sid  TEXT    NOT NULL,
            queue_name TEXT    NOT NULL,
            outcome    TEXT    NOT NULL,
            reason     TEXT,
            PRIMARY KEY (platform, date, queue_sid)
        );
        CREATE TABLE IF NOT EXISTS reconciliation_measure (
            platform   TEXT    NOT NULL,
            date       TEXT    NOT NULL,
            queue_sid  TEXT    NOT NULL,
            position   INTEGER NOT NULL,
            measure    TEXT    NOT NULL,
            ours       REAL    NOT NULL,
            theirs     REAL    NOT NULL,
            difference REAL    NOT NULL,
            allowed    REAL    NOT NULL,
            within     INTEGER NOT NULL,
            PRIMARY KEY (platform, date, queue_sid, position)
        );
        """;

    private readonly SqliteSideTables _tables;

    /// <param name="databasePath">The journal's SQLite file.</param>
    /// <param name="busyTimeout">How long a call waits for a lock held by the journal's writer.</param>
    public SqliteReconciliationStore(string databasePath, TimeSpan? busyTimeout = null) =>
        _tables = new SqliteSideTables(databasePath, Schema, busyTimeout);

    public async Task SaveAsync(ReconciliationRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var date = Day(run.Date);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = Command(connection, transaction, """
            DELETE FROM reconciliation_measure WHERE platform = $p AND date = $d;
            DELETE FROM reconciliation_queue WHERE platform = $p AND date = $d;
            DELETE FROM reconciliation_run WHERE platform = $p AND date = $d;
            INSERT INTO reconciliation_run (platform, date, from_ms, to_ms, ran_ms, outcome, reason) VALUES ($p, $d, $from, $to, $ran, $outcome, $reason);
            """))
        {
            delete.Parameters.AddWithValue("$p", run.PlatformId);
            delete.Parameters.AddWithValue("$d", date);
            delete.Parameters.AddWithValue("$from", run.From.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$to", run.To.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$ran", run.RanAt.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$outcome", run.Outcome);
            delete.Parameters.AddWithValue("$reason", (object?)run.Reason ?? DBNull.Value);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var queue = Command(connection, transaction,
            "INSERT INTO reconciliation_queue (platform, date, queue_sid, queue_name, outcome, reason) VALUES ($p, $d, $sid, $name, $outcome, $reason);");
        await using var measure = Command(connection, transaction, """
            INSERT INTO reconciliation_measure (platform, date, queue_sid, position, measure, ours, theirs, difference, allowed, within)
            VALUES ($p, $d, $sid, $pos, $m, $ours, $theirs, $diff, $allowed, $within);
            """);
        foreach (var q in run.Queues)
        {
            queue.Parameters.Clear();
            queue.Parameters.AddWithValue("$p", run.PlatformId);
            queue.Parameters.AddWithValue("$d", date);
            queue.Parameters.AddWithValue("$sid", q.TaskQueueSid);
            queue.Parameters.AddWithValue("$name", q.TaskQueueName);
            queue.Parameters.AddWithValue("$outcome", q.Outcome);
            queue.Parameters.AddWithValue("$reason", (object?)q.Reason ?? DBNull.Value);
            await queue.ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < q.Measures.Length; i++)
            {
                var m = q.Measures[i];
                measure.Parameters.Clear();
                measure.Parameters.AddWithValue("$p", run.PlatformId);
                measure.Parameters.AddWithValue("$d", date);
                measure.Parameters.AddWithValue("$sid", q.TaskQueueSid);
                measure.Parameters.AddWithValue("$pos", i);
                measure.Parameters.AddWithValue("$m", m.Measure);
                measure.Parameters.AddWithValue("$ours", m.Ours);
                measure.Parameters.AddWithValue("$theirs", m.Theirs);
                measure.Parameters.AddWithValue("$diff", m.Difference);
                measure.Parameters.AddWithValue("$allowed", m.Allowed);
                measure.Parameters.AddWithValue("$within", m.Within ? 1 : 0);
                await measure.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ReconciliationRun?> GetAsync(string platformId, DateOnly date, CancellationToken cancellationToken = default)
    {
        var day = Day(date);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT from_ms, to_ms, ran_ms, outcome, reason FROM reconciliation_run WHERE platform = $p AND date = $d;
            SELECT queue_sid, queue_name, outcome, reason FROM reconciliation_queue WHERE platform = $p AND date = $d ORDER BY queue_name, queue_sid;
            SELECT queue_sid, measure, ours, theirs, difference, allowed, within FROM reconciliation_measure WHERE platform = $p AND date = $d ORDER BY queue_sid, position;
            """;
        command.Parameters.AddWithValue("$p", platformId);
        command.Parameters.AddWithValue("$d", day);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var (from, to, ran) = (Time(reader.GetInt64(0)), Time(reader.GetInt64(1)), Time(reader.GetInt64(2)));
        var (outcome, reason) = (reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        await reader.NextResultAsync(cancellationToken);
        var queues = new List<(string Sid, string Name, string Outcome, string? Reason)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            queues.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        await reader.NextResultAsync(cancellationToken);
        var measures = new Dictionary<string, ImmutableArray<MeasureComparison>.Builder>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sid = reader.GetString(0);
            if (!measures.TryGetValue(sid, out var list))
            {
                measures[sid] = list = ImmutableArray.CreateBuilder<MeasureComparison>();
            }

            list.Add(new MeasureComparison(reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6) != 0));
        }

        return new ReconciliationRun(platformId, date, from, to, ran, outcome, reason,
            [.. queues.Select(q => new QueueReconciliationResult(q.Sid, q.Name, q.Outcome, q.Reason, measures.TryGetValue(q.Sid, out var m) ? m.ToImmutable() : []))]);
    }

    public async Task<IReadOnlyList<ReconciliationRunSummary>> RecentAsync(string platformId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.date, r.ran_ms, r.outcome,
                   (SELECT COUNT(*) FROM reconciliation_queue q WHERE q.platform = r.platform AND q.date = r.date),
                   (SELECT COUNT(*) FROM reconciliation_queue q WHERE q.platform = r.platform AND q.date = r.date AND q.outcome <> 'ok'),
                   (SELECT COUNT(*) FROM reconciliation_measure m WHERE m.platform = r.platform AND m.date = r.date AND m.within = 0)
            FROM reconciliation_run r WHERE r.platform = $p ORDER BY r.date DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$p", platformId);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<ReconciliationRunSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ReconciliationRunSummary(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Time(reader.GetInt64(1)), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)));
        }

        return list;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
