using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Access;

/// <summary>
/// The audit log and the kiosk tokens as tables beside the journal's events, in the same SQLite file (one
/// file to back up, private to the engine's user like the journal). Both are small and written rarely, so
/// each call opens its own pooled connection. The audit table refuses <c>UPDATE</c> and <c>DELETE</c> by
/// trigger: append-only is a property of the file, not only of this class.
/// </summary>
public sealed class SqliteAccessStore : IAuditLog, IKioskTokenStore
{
    /// <summary>The most lines one audit query answers.</summary>
    public const int MaxQueryLimit = 5_000;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS audit (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms   INTEGER NOT NULL,
            actor   TEXT    NOT NULL,
            action  TEXT    NOT NULL,
            target  TEXT,
            outcome TEXT    NOT NULL,
            detail  TEXT
        );
        CREATE INDEX IF NOT EXISTS audit_at ON audit (at_ms);
        CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TABLE IF NOT EXISTS kiosk_tokens (
            id          TEXT    PRIMARY KEY,
            secret_hash BLOB    NOT NULL,
            label       TEXT    NOT NULL,
            platform    TEXT    NOT NULL,
            scope_kind  TEXT    NOT NULL,
            scope_id    TEXT    NOT NULL,
            issued_ms   INTEGER NOT NULL,
            issued_by   TEXT    NOT NULL,
            expires_ms  INTEGER,
            revoked_ms  INTEGER,
            revoked_by  TEXT
        );
        """;

    private readonly SqliteSideTables _tables;

    /// <param name="databasePath">The journal's SQLite file (created by the journal, privately).</param>
    public SqliteAccessStore(string databasePath)
    {
        _tables = new SqliteSideTables(databasePath, Schema, null);
    }

    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit (at_ms, actor, action, target, outcome, detail) VALUES ($at, $actor, $action, $target, $outcome, $detail);
            SELECT last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$at", entry.AtMs);
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$action", entry.Action);
        command.Parameters.AddWithValue("$target", (object?)entry.Target ?? DBNull.Value);
        command.Parameters.AddWithValue("$outcome", entry.Outcome);
        command.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return entry with { Id = id };
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, at_ms, actor, action, target, outcome, detail FROM audit
            WHERE id > $after
              AND ($from IS NULL OR at_ms >= $from)
              AND ($to IS NULL OR at_ms < $to)
              AND ($actor IS NULL OR actor = $actor)
              AND ($action IS NULL OR action = $action)
            ORDER BY id LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$after", query.AfterId);
        command.Parameters.AddWithValue("$from", (object?)query.FromMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", (object?)query.ToMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$actor", (object?)query.Actor ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", (object?)query.Action ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, MaxQueryLimit));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
    }

    public async Task AddAsync(KioskToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO kiosk_tokens (id, secret_hash, label, platform, scope_kind, scope_id, issued_ms, issued_by, expires_ms, revoked_ms, revoked_by)
            VALUES ($id, $hash, $label, $platform, $kind, $scope, $issued, $by, $expires, NULL, NULL);
            """;
        command.Parameters.AddWithValue("$id", token.Id);
        command.Parameters.AddWithValue("$hash", token.SecretHash);
        command.Parameters.AddWithValue("$label", token.Label);
        command.Parameters.AddWithValue("$platform", token.PlatformId);
        command.Parameters.AddWithValue("$kind", token.ScopeKind);
        command.Parameters.AddWithValue("$scope", token.ScopeId);
        command.Parameters.AddWithValue("$issued", token.IssuedMs);
        command.Parameters.AddWithValue("$by", token.IssuedBy);
        command.Parameters.AddWithValue("$expires", (object?)token.ExpiresMs ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<KioskToken>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, secret_hash, label, platform, scope_kind, scope_id, issued_ms, issued_by, expires_ms, revoked_ms, revoked_by
            FROM kiosk_tokens ORDER BY issued_ms, id;
            """;
        var tokens = new List<KioskToken>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new KioskToken(
                reader.GetString(0), (byte[])reader.GetValue(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return tokens;
    }

    public async Task<bool> RevokeAsync(string id, long revokedMs, string revokedBy, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE kiosk_tokens SET revoked_ms = $at, revoked_by = $by WHERE id = $id AND revoked_ms IS NULL;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", revokedMs);
        command.Parameters.AddWithValue("$by", revokedBy);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _tables.OpenAsync(cancellationToken);
}
