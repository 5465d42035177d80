using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Bench.Api;

/// <summary>
/// Runs a baseline's team query (parameters <c>$team</c>, <c>$s</c>, <c>$e</c>; one row per support type,
/// the handled count in column 2) and reads its result, the same way for every SQL baseline.
/// </summary>
internal static class TeamQuery
{
    public static void AddParameters(SqliteCommand query)
    {
        query.Parameters.Add("$team", SqliteType.Text);
        query.Parameters.Add("$s", SqliteType.Integer);
        query.Parameters.Add("$e", SqliteType.Integer);
    }

    /// <summary>Reads every column and returns the handled count, so the work cannot be skipped.</summary>
    public static long Handled(SqliteCommand query, string team, long startMs, long endMs)
    {
        long handled = 0;
        using var reader = Execute(query, team, startMs, endMs);
        while (reader.Read())
        {
            handled += reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
            for (var i = 3; i < reader.FieldCount; i++)
            {
                _ = reader.IsDBNull(i) ? 0 : reader.GetDouble(i);
            }
        }

        return handled;
    }

    /// <summary>Every column of the answer, one sorted line per support type, to compare the SQL ways.</summary>
    public static string Answer(SqliteCommand query, string team, long startMs, long endMs)
    {
        using var reader = Execute(query, team, startMs, endMs);
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(string.Join(',', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetString(i))));
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static SqliteDataReader Execute(SqliteCommand query, string team, long startMs, long endMs)
    {
        query.Parameters["$team"].Value = team;
        query.Parameters["$s"].Value = startMs;
        query.Parameters["$e"].Value = endMs;
        return query.ExecuteReader();
    }
}
