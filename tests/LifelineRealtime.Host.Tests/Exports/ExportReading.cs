using System.Globalization;
using DuckDB.NET.Data;
using LifelineRealtime.Host.Exports;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>Reads exported tables back with DuckDB, an independent Parquet reader, and with nothing of ours.</summary>
internal static class ExportReading
{
    /// <summary>Every row of a table under an export root, as column → value (DuckDB's own types), with the hive partition columns.</summary>
    public static List<Dictionary<string, object?>> Rows(string root, string table, string? where = null)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{Glob(root, table)}', hive_partitioning = true){(where is null ? "" : " WHERE " + where)}";
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>One scalar of a DuckDB query over a table (the table is <c>t</c>).</summary>
    public static object? Scalar(string root, string table, string select)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"WITH t AS (SELECT * FROM read_parquet('{Glob(root, table)}', hive_partitioning = true)) {select}";
        return command.ExecuteScalar();
    }

    /// <summary>The files' own schema as DuckDB reads it: column name and DuckDB type, in file order (no partition columns).</summary>
    public static List<(string Name, string Type)> Schema(string root, string table)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{Glob(root, table)}', hive_partitioning = false)";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>The DuckDB type a documented column type reads as.</summary>
    public static string DuckType(ExportColumnType type) => type switch
    {
        ExportColumnType.String => "VARCHAR",
        ExportColumnType.Int64 => "BIGINT",
        ExportColumnType.Double => "DOUBLE",
        ExportColumnType.Timestamp => "TIMESTAMP WITH TIME ZONE",
        ExportColumnType.Date => "DATE",
        ExportColumnType.Boolean => "BOOLEAN",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Glob(string root, string table) => Path.Combine(root, table, "platform=*", "date=*", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
}
