using System.Text.Json;
using System.Text.Json.Serialization;
using LifelineRealtime.Domain.Conversations;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Conversations;

/// <summary>
/// The conversation list as a table beside the journal's events, in the same SQLite file. The record is stored as
/// JSON with the columns a filter needs beside it; the list reads one index range, newest first (keyset paging),
/// and the index holds the filter columns too, so rows a filter drops are never read from the table. A Sid search is
/// an indexed lookup.
/// </summary>
public sealed class SqliteConversationStore : IConversationStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS conversations (
            platform         TEXT    NOT NULL,
            task_sid         TEXT    NOT NULL,
            sort_ms          INTEGER NOT NULL,
            team             TEXT,
            worker_sid       TEXT,
            transferred_to   TEXT    NOT NULL,
            support_type     TEXT    NOT NULL,
            outcome          TEXT    NOT NULL,
            conversation_sid TEXT,
            call_sid         TEXT,
            record           TEXT    NOT NULL,
            PRIMARY KEY (platform, task_sid)
        ) WITHOUT ROWID;
        DROP INDEX IF EXISTS conversations_newest;
        CREATE INDEX IF NOT EXISTS conversations_newest_filtered
            ON conversations (platform, sort_ms DESC, task_sid DESC, team, worker_sid, support_type, outcome, transferred_to);
        CREATE INDEX IF NOT EXISTS conversations_by_conversation ON conversations (platform, conversation_sid) WHERE conversation_sid IS NOT NULL;
        CREATE INDEX IF NOT EXISTS conversations_by_call ON conversations (platform, call_sid) WHERE call_sid IS NOT NULL;
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly SqliteSideTables _tables;

    /// <param name="databasePath">The journal's SQLite file.</param>
    /// <param name="busyTimeout">How long a call waits for a lock held by the journal's writer.</param>
    public SqliteConversationStore(string databasePath, TimeSpan? busyTimeout = null)
    {
        _tables = new SqliteSideTables(databasePath, Schema, busyTimeout);
    }

    /// <summary>The name an outcome has in the store and the API (<c>short_abandoned</c>).</summary>
    public static string OutcomeName(ConversationOutcome outcome) => JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());

    public async Task UpsertAsync(IReadOnlyCollection<ConversationRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO conversations (platform, task_sid, sort_ms, team, worker_sid, transferred_to, support_type, outcome, conversation_sid, call_sid, record)
            VALUES ($platform, $task, $sort, $team, $worker, $transferred, $type, $outcome, $conversation, $call, $record)
            ON CONFLICT (platform, task_sid) DO UPDATE SET
                team = excluded.team, worker_sid = excluded.worker_sid, transferred_to = excluded.transferred_to,
                support_type = excluded.support_type, outcome = excluded.outcome, conversation_sid = excluded.conversation_sid,
                call_sid = excluded.call_sid, record = excluded.record;
            """;
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in (string[])["$platform", "$task", "$sort", "$team", "$worker", "$transferred", "$type", "$outcome", "$conversation", "$call", "$record"])
        {
            p[name] = command.Parameters.Add(name, name == "$sort" ? SqliteType.Integer : SqliteType.Text);
        }

        foreach (var r in records)
        {
            p["$platform"].Value = r.Platform;
            p["$task"].Value = r.TaskSid;
            p["$sort"].Value = SortKey(r);
            p["$team"].Value = (object?)r.Team ?? DBNull.Value;
            p["$worker"].Value = (object?)r.WorkerSid ?? DBNull.Value;
            p["$transferred"].Value = string.Join(' ', r.TransferredToWorkerSids);
            p["$type"].Value = r.SupportType;
            p["$outcome"].Value = OutcomeName(r.Outcome);
            p["$conversation"].Value = (object?)r.ConversationSid ?? DBNull.Value;
            p["$call"].Value = (object?)r.CallSid ?? DBNull.Value;
            p["$record"].Value = JsonSerializer.Serialize(r, Json);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ConversationRow>> QueryAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // Every condition names columns of the index (or the key), as k.<column>.
        var where = new List<string> { "k.platform = $platform", "k.sort_ms >= $from", "k.sort_ms < $to" };
        command.Parameters.AddWithValue("$platform", query.PlatformId);
        command.Parameters.AddWithValue("$from", query.FromMs);
        command.Parameters.AddWithValue("$to", query.ToMs);
        if (query.After is { } after)
        {
            where.Add("(k.sort_ms < $afterMs OR (k.sort_ms = $afterMs AND k.task_sid < $afterSid))");
            command.Parameters.AddWithValue("$afterMs", after.SortMs);
            command.Parameters.AddWithValue("$afterSid", after.TaskSid);
        }

        if (query.Teams is { } teams)
        {
            var names = teams.Select((t, i) => (Name: $"$team{i}", Team: t)).ToList();
            where.Add(names.Count == 0 ? "0" : $"k.team IN ({string.Join(", ", names.Select(n => n.Name))})");
            foreach (var (name, team) in names)
            {
                command.Parameters.AddWithValue(name, team);
            }
        }

        if (query.Worker is { } worker)
        {
            where.Add("(k.worker_sid = $worker OR instr(' ' || k.transferred_to || ' ', ' ' || $worker || ' ') > 0)");
            command.Parameters.AddWithValue("$worker", worker);
        }

        if (query.SupportType is { } type)
        {
            where.Add("k.support_type = $type");
            command.Parameters.AddWithValue("$type", type);
        }

        if (query.Outcome is { } outcome)
        {
            where.Add("k.outcome = $outcome");
            command.Parameters.AddWithValue("$outcome", OutcomeName(outcome));
        }

        // The page's keys first, from the index alone (it holds every filter column), then only their records. A Sid
        // search starts from the Sid's own lookups instead (CROSS JOIN keeps that order), never from a walk of the range.
        var keys = query.Sid is null
            ? $"SELECT k.task_sid, k.sort_ms FROM conversations AS k INDEXED BY conversations_newest_filtered WHERE {string.Join(" AND ", where)} ORDER BY k.sort_ms DESC, k.task_sid DESC LIMIT $limit"
            : $"""
                SELECT k.task_sid, k.sort_ms FROM (
                    SELECT task_sid FROM conversations WHERE platform = $platform AND task_sid = $sid
                    UNION SELECT task_sid FROM conversations WHERE platform = $platform AND conversation_sid = $sid
                    UNION SELECT task_sid FROM conversations WHERE platform = $platform AND call_sid = $sid) AS s
                CROSS JOIN conversations AS k ON k.platform = $platform AND k.task_sid = s.task_sid
                WHERE {string.Join(" AND ", where)} ORDER BY k.sort_ms DESC, k.task_sid DESC LIMIT $limit
                """;
        if (query.Sid is { } sid)
        {
            command.Parameters.AddWithValue("$sid", sid);
        }

        command.CommandText = $"""
            SELECT c.sort_ms, c.record FROM ({keys}) AS page
            CROSS JOIN conversations AS c ON c.platform = $platform AND c.task_sid = page.task_sid
            ORDER BY page.sort_ms DESC, page.task_sid DESC;
            """;
        command.Parameters.AddWithValue("$limit", query.Limit);
        var rows = new List<ConversationRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ConversationRow(reader.GetInt64(0), Read(reader.GetString(1))));
        }

        return rows;
    }

    public async Task<ConversationRow?> GetAsync(string platformId, string taskSid, CancellationToken cancellationToken = default)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sort_ms, record FROM conversations WHERE platform = $platform AND task_sid = $task;";
        command.Parameters.AddWithValue("$platform", platformId);
        command.Parameters.AddWithValue("$task", taskSid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ConversationRow(reader.GetInt64(0), Read(reader.GetString(1))) : null;
    }

    /// <summary>When the task was created, else the earliest time its record knows.</summary>
    private static long SortKey(ConversationRecord r) =>
        r.CreatedMs ?? r.Reservations.Select(x => x.CreatedMs).Min() ?? r.AcceptedMs ?? r.CompletedMs ?? r.CanceledMs ?? 0;

    private static ConversationRecord Read(string json) =>
        JsonSerializer.Deserialize<ConversationRecord>(json, Json) ?? throw new InvalidDataException("a conversation row holds no record");
}
