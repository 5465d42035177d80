using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Exports;

/// <summary>
/// Export jobs as a table beside the journal's events (<see cref="SqliteSideTables"/>), one row per job, numbered in
/// the order first saved (the order they run in).
/// </summary>
public sealed class SqliteExportJobStore : IExportJobStore
{
    /// <summary>Finished jobs kept for their status (unfinished ones are always kept).</summary>
    public const int Kept = 1000;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS export_job (
            id         TEXT    NOT NULL PRIMARY KEY,
            seq        INTEGER NOT NULL,
            queued_ms  INTEGER NOT NULL,
            finished   INTEGER NOT NULL,
            document   TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS export_job_finished ON export_job (finished);
        """;

    private readonly SqliteSideTables _tables;

    /// <param name="databasePath">The journal's SQLite file.</param>
    /// <param name="busyTimeout">How long a call waits for a lock held by the journal's writer.</param>
    public SqliteExportJobStore(string databasePath, TimeSpan? busyTimeout = null) =>
        _tables = new SqliteSideTables(databasePath, Schema, busyTimeout);

    public async Task SaveAsync(StoredExportJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO export_job (id, seq, queued_ms, finished, document)
            VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM export_job), $queued, $finished, $document)
            ON CONFLICT (id) DO UPDATE SET queued_ms = excluded.queued_ms, finished = excluded.finished, document = excluded.document;
            DELETE FROM export_job WHERE finished = 1 AND id NOT IN (
                SELECT id FROM export_job WHERE finished = 1 ORDER BY seq DESC LIMIT $kept);
            """;
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$queued", job.QueuedMs);
        command.Parameters.AddWithValue("$finished", job.Finished ? 1 : 0);
        command.Parameters.AddWithValue("$document", job.Document);
        command.Parameters.AddWithValue("$kept", Kept);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredExportJob?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, queued_ms, finished, document FROM export_job WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<StoredExportJob>> UnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, queued_ms, finished, document FROM export_job WHERE finished = 0 ORDER BY seq;";
        var jobs = new List<StoredExportJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    private static StoredExportJob Read(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2) != 0, reader.GetString(3));
}
