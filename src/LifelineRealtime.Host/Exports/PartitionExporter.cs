using System.Collections.Immutable;
using System.Diagnostics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Exports;

/// <summary>The sinks exports go to: the pseudonymous one always, the full-access one (names) when configured.</summary>
public sealed record ExportSinks(IExportSink Pseudonymous, IExportSink? FullAccess);

/// <summary>
/// Exports one platform's local day: reads the journal up to its current high-water sequence (the watermark), folds the
/// day with its margins as it reads, writes each requested table as Parquet and commits each partition with its manifest.
/// </summary>
public sealed class PartitionExporter(
    IEventJournal journal,
    PlatformCatalog platforms,
    CustomerPseudonyms pseudonyms,
    ExportSinks sinks,
    IOptions<ExportOptions> options,
    TimeProvider time,
    ExportInstruments instruments,
    ILogger<PartitionExporter> logger)
{
    /// <summary>Exports the day's tables; <paramref name="committed"/> is called after each partition is committed.</summary>
    public async Task ExportDayAsync(string platformId, DateOnly day, IReadOnlyList<string> tables, Action<PartitionPath>? committed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var settings = platforms.Get(platformId);
        var o = options.Value;
        var started = Stopwatch.GetTimestamp();
        var watermark = journal.HighWaterSequence;
        var startMs = settings.LocalDayStartMs(day);
        var endMs = settings.LocalDayStartMs(day.AddDays(1));
        var marginMs = (long)o.FoldMargin.TotalMilliseconds;
        // Each record is folded as it is read and let go: memory holds the day's lifecycles and rows, not its payloads.
        var builder = DayTables.Begin(settings, day);
        await foreach (var record in journal.ReadByEventTimeAsync(platformId, startMs - marginMs, endMs + marginMs, cancellationToken))
        {
            // Records committed after the watermark wait for the next export: the manifest says exactly what is in.
            if (record.Sequence <= watermark)
            {
                builder.Add(record);
            }
        }

        var final = time.GetUtcNow().ToUnixTimeMilliseconds() >= endMs + (long)o.Grace.TotalMilliseconds;
        var variants = sinks.FullAccess is { } full ? new[] { (sinks.Pseudonymous, false), (full, true) } : [(sinks.Pseudonymous, false)];
        foreach (var (sink, includeNames) in variants)
        {
            var built = builder.Build(pseudonyms.Of, includeNames);
            foreach (var table in tables)
            {
                var tableStarted = Stopwatch.GetTimestamp();
                var path = new PartitionPath(table, platformId, day);
                try
                {
                    var (files, columns) = await WriteTableAsync(table, built, includeNames, o, cancellationToken);
                    var manifest = new PartitionManifest(
                        ExportTables.SchemaVersion, table, platformId, $"{day:yyyy-MM-dd}", settings.TimeZoneName, watermark, final, time.GetUtcNow(),
                        files.Sum(f => f.Rows), [.. files.Select(f => new ManifestFile(f.Name, f.Rows, f.Content.Length, f.Sha256))], columns);
                    await sink.CommitAsync(path, files, manifest, cancellationToken);
                    instruments.Exported(table, "ok", manifest.Rows, Stopwatch.GetElapsedTime(tableStarted));
                    ExportLog.PartitionCommitted(logger, path, manifest.Rows, files.Length, watermark, includeNames);
                    if (!includeNames)
                    {
                        committed?.Invoke(path);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    instruments.Exported(table, "failed", 0, Stopwatch.GetElapsedTime(tableStarted));
                    ExportLog.PartitionFailed(logger, path, e);
                    throw;
                }
                catch (OperationCanceledException)
                {
                    instruments.Exported(table, "canceled", 0, Stopwatch.GetElapsedTime(tableStarted));
                    throw;
                }
            }
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        ExportLog.DayExported(logger, platformId, day, tables.Count, builder.Records, elapsedMs);
    }

    private static async Task<(ImmutableArray<ExportFile> Files, ImmutableArray<ManifestColumn> Columns)> WriteTableAsync(
        string table, DayTables built, bool includeNames, ExportOptions o, CancellationToken cancellationToken)
    {
        async Task<(ImmutableArray<ExportFile>, ImmutableArray<ManifestColumn>)> Write<T>(ImmutableArray<ExportColumn<T>> columns, IReadOnlyList<T> rows) =>
            (await ParquetTableWriter.WriteAsync(columns, rows, includeNames, o.RowGroupSize, o.MaxRowsPerFile, cancellationToken),
             [.. columns.Where(c => includeNames || !c.NamesOnly).Select(c => new ManifestColumn(c.Name, c.Type, c.Nullable))]);
        return table switch
        {
            ExportTables.Conversations => await Write(ExportSchema.Conversations, built.Conversations),
            ExportTables.Reservations => await Write(ExportSchema.Reservations, built.Reservations),
            ExportTables.WorkerActivity => await Write(ExportSchema.WorkerActivity, built.WorkerActivity),
            ExportTables.DailyMetrics => await Write(ExportSchema.DailyMetrics, built.DailyMetrics),
            ExportTables.Events => await Write(ExportSchema.Events, built.Events),
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown export table"),
        };
    }
}
