using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage;

/// <summary>
/// Tables kept beside the journal's events in its SQLite file (the quarantine, the audit log, kiosk tokens):
/// one pooled connection per call, the schema created by the first call that opens the file. It never creates
/// the file (the journal does, privately), so a journal that cannot be opened yet fails the call, not the start.
/// </summary>
public sealed class SqliteSideTables
{
    private readonly string _connectionString;
    private readonly string _schema;
    private volatile bool _created;

    /// <param name="databasePath">The journal's SQLite file.</param>
    /// <param name="schema"><c>CREATE … IF NOT EXISTS</c> statements for the tables.</param>
    /// <param name="busyTimeout">How long a call waits for a lock held by the journal's writer.</param>
    public SqliteSideTables(string databasePath, string schema, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        _schema = schema;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(databasePath),
            Pooling = true,
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = (int)Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(5)).TotalSeconds),
        }.ToString();
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!_created)
            {
                await using var create = connection.CreateCommand();
                create.CommandText = _schema;
                await create.ExecuteNonQueryAsync(cancellationToken);
                _created = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
