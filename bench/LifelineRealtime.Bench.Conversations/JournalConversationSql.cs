using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Bench.Conversations;

/// <summary>
/// The baseline: the conversation list answered at query time in SQL over the engine's own journal (the
/// <c>events</c> table, opened read-only), as someone without the conversations table would write it. It reads the
/// candidate rows <c>[from, to + 1 day)</c> by the <c>(platform, event_time_ms, seq)</c> index, keeps the event
/// types that decide a row, decodes form fields with a registered scalar function <c>form_field(payload, name)</c>
/// and the attribute JSON with <c>json_extract</c>, folds each task's events (GROUP BY task Sid: created, completed,
/// canceled, transfer), ranks its accepted reservations (the first is the ISS and team, later ones are transfers to),
/// derives the outcome as the engine defines it, then filters, orders newest first and keyset-pages like the store.
/// </summary>
internal sealed class JournalConversationSql : IDisposable
{
    private const long DayMs = 86_400_000;

    // One pass over the window's events decodes only what each type contributes; reservations and the task's end
    // arrive after its creation, and a task in this data ends within a day of it.
    private const string Conversations = """
        WITH ev AS MATERIALIZED (
          SELECT task_sid, event_type AS type, event_time_ms AS at, worker_sid,
            CASE WHEN event_type = 'reservation.accepted' THEN form_field(payload, 'ReservationSid') END AS reservation,
            CASE WHEN event_type = 'reservation.accepted' THEN json_extract(form_field(payload, 'WorkerAttributes'), '$.team_name') END AS team,
            CASE WHEN event_type = 'task.created'
              THEN json_extract(form_field(payload, 'TaskAttributes'), '$.supportType', '$.call_sid', '$.conversationSid', '$.channelSid') END AS attributes
          FROM events
          WHERE platform = $platform AND event_time_ms >= $from AND event_time_ms < $to + $day
            AND event_type IN ('task.created', 'task.completed', 'task.canceled', 'task.transfer-initiated', 'reservation.accepted')
        ),
        ranked AS MATERIALIZED (
          SELECT task_sid, worker_sid, team, ROW_NUMBER() OVER (PARTITION BY task_sid ORDER BY at, reservation) AS n
          FROM (
            SELECT task_sid, reservation, MIN(at) AS at, MAX(worker_sid) AS worker_sid, MAX(team) AS team
            FROM ev WHERE type = 'reservation.accepted' AND worker_sid IS NOT NULL
            GROUP BY task_sid, reservation)
        ),
        tasks AS (
          SELECT task_sid,
            MIN(CASE WHEN type = 'task.created' THEN at END) AS created_ms,
            MIN(CASE WHEN type = 'task.completed' THEN at END) AS completed_ms,
            MIN(CASE WHEN type = 'task.canceled' THEN at END) AS canceled_ms,
            MAX(type = 'task.transfer-initiated') AS transferred,
            MAX(type = 'reservation.accepted' AND worker_sid IS NOT NULL) AS accepted,
            MAX(attributes) AS attributes
          FROM ev GROUP BY task_sid
        ),
        conversations AS (
          SELECT t.task_sid, t.created_ms, first.worker_sid, first.team,
            t.attributes ->> '$[0]' AS support_type,
            t.attributes ->> '$[1]' AS call_sid,
            coalesce(t.attributes ->> '$[2]', t.attributes ->> '$[3]') AS conversation_sid,
            CASE WHEN t.completed_ms IS NULL AND t.canceled_ms IS NULL THEN 'open'
                 WHEN NOT t.accepted THEN CASE WHEN t.canceled_ms - t.created_ms <= $short THEN 'short_abandoned' ELSE 'abandoned' END
                 WHEN t.transferred THEN 'transferred'
                 ELSE 'handled' END AS outcome
          FROM tasks AS t
            LEFT JOIN ranked AS first ON first.task_sid = t.task_sid AND first.n = 1
          WHERE t.created_ms >= $from AND t.created_ms < $to
        )
        SELECT task_sid, created_ms, COUNT(*) OVER () AS matches FROM conversations AS c
        """;

    private readonly SqliteConnection _connection;
    private readonly string _platform;
    private readonly long _shortAbandonMs;

    public JournalConversationSql(string journalPath, string platform, long shortAbandonMs)
    {
        _platform = platform;
        _shortAbandonMs = shortAbandonMs;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = journalPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        _connection.Open();
        _connection.CreateFunction<string?, string, string?>("form_field", FormField, isDeterministic: true);
    }

    /// <summary>Rows of the <c>events</c> table, every platform and type.</summary>
    public long JournalRows() => Scalar("SELECT COUNT(*) FROM events");

    /// <summary>The journal rows the query reads by the time index for the window, before it keeps the types it needs.</summary>
    public long CandidateRows(long fromMs, long toMs) =>
        Scalar($"SELECT COUNT(*) FROM events WHERE platform = '{_platform}' AND event_time_ms >= {fromMs} AND event_time_ms < {toMs + DayMs}");

    /// <summary>SQLite's plan, to show the time index is searched rather than the table scanned.</summary>
    public string Plan(ConversationFilter filter, long fromMs, long toMs)
    {
        using var command = Command(filter, fromMs, toMs, null, 51);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join("; ", steps);
    }

    /// <summary>
    /// One page, newest first, after <paramref name="after"/> (<paramref name="limit"/> null: every match), and how
    /// many rows match from that position on (a window count, computed before the limit, so the check costs no query).
    /// </summary>
    public (List<(string TaskSid, long SortMs)> Rows, long Matches) Page(ConversationFilter filter, long fromMs, long toMs, (long SortMs, string TaskSid)? after, int? limit)
    {
        using var command = Command(filter, fromMs, toMs, after, limit);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long)>();
        long matches = 0;
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
            matches = reader.GetInt64(2);
        }

        return (rows, matches);
    }

    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(ConversationFilter filter, long fromMs, long toMs, (long SortMs, string TaskSid)? after, int? limit)
    {
        var command = _connection.CreateCommand();
        var where = new List<string>();
        command.Parameters.AddWithValue("$platform", _platform);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        command.Parameters.AddWithValue("$day", DayMs);
        command.Parameters.AddWithValue("$short", _shortAbandonMs);
        if (after is { } a)
        {
            where.Add("(c.created_ms < $afterMs OR (c.created_ms = $afterMs AND c.task_sid < $afterSid))");
            command.Parameters.AddWithValue("$afterMs", a.SortMs);
            command.Parameters.AddWithValue("$afterSid", a.TaskSid);
        }

        if (filter.Team is { } team)
        {
            where.Add("c.team = $team");
            command.Parameters.AddWithValue("$team", team);
        }

        if (filter.Worker is { } worker)
        {
            where.Add("(c.worker_sid = $worker OR EXISTS (SELECT 1 FROM ranked AS r WHERE r.task_sid = c.task_sid AND r.n > 1 AND r.worker_sid = $worker))");
            command.Parameters.AddWithValue("$worker", worker);
        }

        if (filter.SupportType is { } type)
        {
            where.Add("c.support_type = $type");
            command.Parameters.AddWithValue("$type", type);
        }

        if (filter.Outcome is { } outcome)
        {
            where.Add("c.outcome = $outcome");
            command.Parameters.AddWithValue("$outcome", outcome);
        }

        if (filter.Sid is { } sid)
        {
            where.Add("(c.task_sid = $sid OR c.conversation_sid = $sid OR c.call_sid = $sid)");
            command.Parameters.AddWithValue("$sid", sid);
        }

        command.CommandText = Conversations
            + (where.Count == 0 ? "" : "\nWHERE " + string.Join(" AND ", where))
            + "\nORDER BY c.created_ms DESC, c.task_sid DESC"
            + (limit is { } l ? $"\nLIMIT {l}" : "");
        return command;
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// One field of an application/x-www-form-urlencoded body, URL-decoded; null when absent. Scans the body
    /// instead of building its dictionary; TaskRouter's field names are plain ASCII.
    /// </summary>
    internal static string? FormField(string? body, string name)
    {
        if (body is null)
        {
            return null;
        }

        var rest = body.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('&');
            var pair = end < 0 ? rest : rest[..end];
            if (pair.Length > name.Length && pair[name.Length] == '=' && pair.StartsWith(name, StringComparison.Ordinal))
            {
                var value = pair[(name.Length + 1)..];
                return value.ContainsAny('%', '+') ? Uri.UnescapeDataString(value.ToString().Replace('+', ' ')) : value.ToString();
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return null;
    }
}
