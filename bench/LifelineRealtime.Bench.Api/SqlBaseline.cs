using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Bench.Api;

/// <summary>
/// The baseline: the same team answers computed by SQL in SQLite over a materialised per-reservation table
/// (one row per offer: team, support type, task creation and each reservation instant), indexed on
/// (team, created_ms). Generous to SQL: the per-reservation fold is done before timing, the query only
/// groups and sums, and it skips the percentiles the engine also returns.
/// </summary>
internal sealed class SqlBaseline : IDisposable
{
    private static readonly string[] ParameterNames = ["$t", "$s", "$tc", "$c", "$a", "$r", "$w", "$d"];

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _query;

    public SqlBaseline(string path, IReadOnlyList<ReservationFact> facts)
    {
        _connection = new SqliteConnection($"Data Source={path}");
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL");
        Execute("""
            CREATE TABLE reservation_facts (
                team TEXT NOT NULL, support_type TEXT NOT NULL, task_created_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL,
                accepted_ms INTEGER, rejected_ms INTEGER, wrapup_ms INTEGER, completed_ms INTEGER)
            """);
        using (var transaction = _connection.BeginTransaction())
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO reservation_facts VALUES ($t, $s, $tc, $c, $a, $r, $w, $d)";
            var parameters = ParameterNames.Select(n => insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
            foreach (var f in facts)
            {
                parameters[0].Value = f.Team;
                parameters[1].Value = f.SupportType;
                parameters[2].Value = f.TaskCreatedMs;
                parameters[3].Value = f.CreatedMs;
                parameters[4].Value = (object?)f.AcceptedMs ?? DBNull.Value;
                parameters[5].Value = (object?)f.RejectedMs ?? DBNull.Value;
                parameters[6].Value = (object?)f.WrapupMs ?? DBNull.Value;
                parameters[7].Value = (object?)f.CompletedMs ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Execute("CREATE INDEX ix_facts_team_created ON reservation_facts (team, created_ms)");
        Execute("ANALYZE");

        // Every measure completes within a day of the offer in this data, so the index range is
        // [start − 1 day, end): the query never scans the team's whole year for one day.
        _query = _connection.CreateCommand();
        _query.CommandText = """
            SELECT support_type,
              SUM(created_ms >= $s AND created_ms < $e),
              SUM(accepted_ms >= $s AND accepted_ms < $e),
              SUM(rejected_ms >= $s AND rejected_ms < $e),
              SUM(CASE WHEN accepted_ms >= $s AND accepted_ms < $e THEN accepted_ms - task_created_ms END),
              MAX(CASE WHEN accepted_ms >= $s AND accepted_ms < $e THEN accepted_ms - task_created_ms END),
              COUNT(CASE WHEN wrapup_ms >= $s AND wrapup_ms < $e THEN 1 END),
              SUM(CASE WHEN wrapup_ms >= $s AND wrapup_ms < $e THEN wrapup_ms - accepted_ms END),
              MAX(CASE WHEN wrapup_ms >= $s AND wrapup_ms < $e THEN wrapup_ms - accepted_ms END),
              SUM(CASE WHEN completed_ms >= $s AND completed_ms < $e THEN completed_ms - wrapup_ms END),
              MAX(CASE WHEN completed_ms >= $s AND completed_ms < $e THEN completed_ms - wrapup_ms END),
              SUM(CASE WHEN completed_ms >= $s AND completed_ms < $e THEN completed_ms - accepted_ms END),
              MAX(CASE WHEN completed_ms >= $s AND completed_ms < $e THEN completed_ms - accepted_ms END)
            FROM reservation_facts
            WHERE team = $team AND created_ms >= $s - 86400000 AND created_ms < $e
            GROUP BY support_type
            """;
        TeamQuery.AddParameters(_query);
    }

    /// <summary>Runs the team query for [startMs, endMs); returns the handled count so the work cannot be skipped.</summary>
    public long Query(string team, long startMs, long endMs) => TeamQuery.Handled(_query, team, startMs, endMs);

    /// <summary>Every column of the answer for [startMs, endMs), one line per support type, to compare the SQL ways.</summary>
    public string Answer(string team, long startMs, long endMs) => TeamQuery.Answer(_query, team, startMs, endMs);

    public void Dispose()
    {
        _query.Dispose();
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
