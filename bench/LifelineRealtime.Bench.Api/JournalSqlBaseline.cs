using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Bench.Api;

/// <summary>
/// The baseline the goal is stated against: the same team answers computed at query time by SQL aggregation
/// over the engine's own journal (the <c>events</c> table, opened read-only). Each query decodes the wire
/// payloads it needs, folds the events of each reservation (GROUP BY reservation Sid), joins the task's
/// creation, keeps the team's reservations and groups by support type. Nothing is precomputed.
/// </summary>
internal sealed class JournalSqlBaseline : IDisposable
{
    private const long DayMs = 86_400_000;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _query;

    public JournalSqlBaseline(string journalPath, string platform)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = journalPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        _connection.Open();
        _connection.CreateFunction<string?, string, string?>("form_field", FormField, isDeterministic: true);

        // Candidate rows: [start − 1 day, end) on the (platform, event_time_ms) index. A measure belongs to the
        // interval of the event that completes it, and every event it needs (task creation, offer, acceptance,
        // wrap-up) happens at or before that event, so nothing at or after the end is needed. The lower bound
        // assumes what holds in this data: a reservation finishes within a day of its task's creation.
        _query = _connection.CreateCommand();
        _query.CommandText = """
            WITH ev AS (
              SELECT event_type AS type, event_time_ms AS at, task_sid,
                form_field(payload, 'ReservationSid') AS reservation,
                json_extract(form_field(payload, 'WorkerAttributes'), '$.team_name') AS team,
                json_extract(form_field(payload, 'TaskAttributes'), '$.supportType') AS support_type
              FROM events
              WHERE platform = $platform AND event_time_ms >= $s - $day AND event_time_ms < $e
                AND (event_type = 'task.created' OR event_type LIKE 'reservation.%')
            ),
            tasks AS (
              SELECT task_sid, MIN(at) AS created_ms FROM ev WHERE type = 'task.created' GROUP BY task_sid
            ),
            reservations AS (
              SELECT reservation, MIN(task_sid) AS task_sid, MAX(team) AS team, MAX(support_type) AS support_type,
                MIN(CASE WHEN type = 'reservation.created' THEN at END) AS created_ms,
                MIN(CASE WHEN type = 'reservation.accepted' THEN at END) AS accepted_ms,
                MIN(CASE WHEN type = 'reservation.rejected' THEN at END) AS rejected_ms,
                MIN(CASE WHEN type = 'reservation.wrapup' THEN at END) AS wrapup_ms,
                MIN(CASE WHEN type = 'reservation.completed' THEN at END) AS completed_ms
              FROM ev
              WHERE reservation IS NOT NULL
              GROUP BY reservation
            )
            SELECT r.support_type,
              SUM(r.created_ms >= $s AND r.created_ms < $e),
              SUM(r.accepted_ms >= $s AND r.accepted_ms < $e),
              SUM(r.rejected_ms >= $s AND r.rejected_ms < $e),
              SUM(CASE WHEN r.accepted_ms >= $s AND r.accepted_ms < $e THEN r.accepted_ms - t.created_ms END),
              MAX(CASE WHEN r.accepted_ms >= $s AND r.accepted_ms < $e THEN r.accepted_ms - t.created_ms END),
              COUNT(CASE WHEN r.wrapup_ms >= $s AND r.wrapup_ms < $e THEN 1 END),
              SUM(CASE WHEN r.wrapup_ms >= $s AND r.wrapup_ms < $e THEN r.wrapup_ms - r.accepted_ms END),
              MAX(CASE WHEN r.wrapup_ms >= $s AND r.wrapup_ms < $e THEN r.wrapup_ms - r.accepted_ms END),
              SUM(CASE WHEN r.completed_ms >= $s AND r.completed_ms < $e THEN r.completed_ms - r.wrapup_ms END),
              MAX(CASE WHEN r.completed_ms >= $s AND r.completed_ms < $e THEN r.completed_ms - r.wrapup_ms END),
              SUM(CASE WHEN r.completed_ms >= $s AND r.completed_ms < $e THEN r.completed_ms - r.accepted_ms END),
              MAX(CASE WHEN r.completed_ms >= $s AND r.completed_ms < $e THEN r.completed_ms - r.accepted_ms END)
            FROM reservations AS r LEFT JOIN tasks AS t ON t.task_sid = r.task_sid
            WHERE r.team = $team
            GROUP BY r.support_type
            """;
        _query.Parameters.AddWithValue("$platform", platform);
        _query.Parameters.AddWithValue("$day", DayMs);
        TeamQuery.AddParameters(_query);
    }

    /// <summary>All rows of the journal (every platform and event type).</summary>
    public long JournalRows()
    {
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM events";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>The journal rows the query reads for [startMs, endMs) before it filters by event type.</summary>
    public long CandidateRows(string platform, long startMs, long endMs)
    {
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM events WHERE platform = $platform AND event_time_ms >= $s - $day AND event_time_ms < $e";
        count.Parameters.AddWithValue("$platform", platform);
        count.Parameters.AddWithValue("$day", DayMs);
        count.Parameters.AddWithValue("$s", startMs);
        count.Parameters.AddWithValue("$e", endMs);
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>SQLite's plan for the query, to show it searches the time index rather than scanning the table.</summary>
    public string Plan()
    {
        using var explain = _connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + _query.CommandText;
        foreach (SqliteParameter parameter in _query.Parameters)
        {
            explain.Parameters.AddWithValue(parameter.ParameterName, parameter.Value ?? 0);
        }

        using var reader = explain.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join("; ", steps);
    }

    /// <summary>Runs the team query for [startMs, endMs); returns the handled count so the work cannot be skipped.</summary>
    public long Query(string team, long startMs, long endMs) => TeamQuery.Handled(_query, team, startMs, endMs);

    /// <summary>Every column of the answer for [startMs, endMs), one line per support type, to compare the SQL ways.</summary>
    public string Answer(string team, long startMs, long endMs) => TeamQuery.Answer(_query, team, startMs, endMs);

    public void Dispose()
    {
        _query.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// One field of an application/x-www-form-urlencoded body, URL-decoded; null when absent. Scans the body
    /// instead of building its dictionary. Field names are compared as written: TaskRouter's are plain ASCII.
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
