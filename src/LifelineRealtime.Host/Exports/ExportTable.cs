using System.Collections.Immutable;

namespace LifelineRealtime.Host.Exports;

/// <summary>The Parquet type of an exported column (docs/exports.md).</summary>
public enum ExportColumnType
{
    /// <summary>UTF-8 string.</summary>
    String,

    /// <summary>64-bit signed integer (counts, sequences).</summary>
    Int64,

    /// <summary>64-bit float (durations in seconds, rates).</summary>
    Double,

    /// <summary>Timestamp, milliseconds, adjusted to UTC (an instant).</summary>
    Timestamp,

    /// <summary>A calendar date (the local day in the platform's time zone).</summary>
    Date,

    Boolean,
}

/// <summary>One column: its name, type, unit and meaning (the schema document is checked against these), and how a row gives its value.</summary>
public sealed record ExportColumn<TRow>(string Name, ExportColumnType Type, bool Nullable, string Unit, string Meaning, Func<TRow, object?> Value, bool NamesOnly = false);

/// <summary>The tables, by the name used in paths, requests and manifests.</summary>
public static class ExportTables
{
    public const string Conversations = "conversations";
    public const string Reservations = "reservations";
    public const string WorkerActivity = "worker_activity";
    public const string DailyMetrics = "daily_metrics";
    public const string Events = "events";

    /// <summary>Bumped whenever a column is added, removed or changes meaning; written in every manifest and file.</summary>
    public const int SchemaVersion = 1;

    public static readonly ImmutableArray<string> All = [Conversations, Reservations, WorkerActivity, DailyMetrics, Events];
}
