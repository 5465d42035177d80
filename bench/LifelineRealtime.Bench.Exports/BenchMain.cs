using System.Diagnostics;
using System.Globalization;
using LifelineRealtime.Bench.Conversations;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace LifelineRealtime.Bench.Exports;

/// <summary>
/// Fills one local day of one platform (default 100,000 tasks from the product's simulator) into a SQLite journal, then
/// times, in the same run: reading that day's records from the journal (the baseline: the first step of every export)
/// and exporting the day's five tables to a folder. Reports wall time (median of the samples), the ratio to the
/// baseline, the peak working set and managed allocation of the export, and the bytes and rows written.
/// </summary>
internal static class BenchMain
{
    private const string Platform = "ciss";

    // A fixed day, so every run holds the same data.
    private static readonly DateOnly Day = new(2026, 10, 14);

    public static async Task<int> Main(string[] args)
    {
        // The day's tasks follow the simulator's daily rhythm; the conversations table's rows (printed below) count them.
        var tasks = Option(args, "--tasks", 100_000);
        var workers = Option(args, "--workers", 2_000);
        var teams = Option(args, "--teams", 40);
        var samples = Option(args, "--samples", 3);
        var folder = Path.Combine(Path.GetTempPath(), $"lifeline-bench-exports-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync(folder, tasks, workers, teams, samples);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(string folder, int tasks, int workers, int teams, int samples)
    {
        var platform = PlatformOptions();
        var catalog = new PlatformCatalog([platform]);
        var settings = catalog.Get(Platform);
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        await using var journal = new SqliteEventJournal(
            new SqliteJournalOptions { Path = Path.Combine(folder, "journal.db"), Durability = JournalDurability.Normal },
            TimeProvider.System, new JournalInstruments(meters), NullLogger<SqliteEventJournal>.Instance);

        var fill = Stopwatch.StartNew();
        var generator = new MonthGenerator(platform, settings, Day, days: 1, tasks, workers, teams);
        foreach (var (entries, _) in generator.Generate(5_000))
        {
            if (entries.Count > 0)
            {
                await journal.AppendAsync(entries);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Filled {Day:yyyy-MM-dd} ({settings.TimeZoneName}): {generator.Events:N0} events, {generator.PayloadBytes / 1e6:N1} MB of payloads, {workers:N0} workers in {teams} teams, in {fill.Elapsed.TotalSeconds:N1} s"));

        var options = new ExportOptions();
        var startMs = settings.LocalDayStartMs(Day) - (long)options.FoldMargin.TotalMilliseconds;
        var endMs = settings.LocalDayStartMs(Day.AddDays(1)) + (long)options.FoldMargin.TotalMilliseconds;
        var exportRoot = Path.Combine(folder, "exports");
        var exporter = new PartitionExporter(
            journal, catalog, new CustomerPseudonyms(Microsoft.Extensions.Options.Options.Create(new ConversationOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) })),
            new ExportSinks(new FolderExportSink(exportRoot), null), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            new ExportInstruments(meters), NullLogger<PartitionExporter>.Instance);

        var reads = new List<double>();
        var exports = new List<double>();
        long records = 0, peakWorkingSet = 0, allocated = 0;
        for (var i = 0; i < samples; i++)
        {
            Settle();
            var read = Stopwatch.StartNew();
            records = 0;
            await foreach (var record in journal.ReadByEventTimeAsync(Platform, startMs, endMs, CancellationToken.None))
            {
                records += record.Payload.Length > 0 ? 1 : 0;
            }

            reads.Add(read.Elapsed.TotalSeconds);

            Settle();
            var before = Environment.WorkingSet;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            using var sampling = new CancellationTokenSource();
            var peak = before;
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Environment.WorkingSet);
                    await Task.Delay(20, CancellationToken.None);
                }
            });
            var export = Stopwatch.StartNew();
            await exporter.ExportDayAsync(Platform, Day, ExportTables.All, null, CancellationToken.None);
            exports.Add(export.Elapsed.TotalSeconds);
            await sampling.CancelAsync();
            await sampler;
            peakWorkingSet = Math.Max(peakWorkingSet, Math.Max(peak, Environment.WorkingSet));
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }

        var files = Directory.EnumerateFiles(exportRoot, "*.parquet", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        var readMedian = Median(reads);
        var exportMedian = Median(exports);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Baseline: read the day's {records:N0} journal records (with the fold's margins): median {readMedian:N2} s of {samples}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Export: five tables of the day: median {exportMedian:N2} s of {samples} ({exportMedian / readMedian:N1}x the baseline), {records / exportMedian:N0} records/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Peak working set during the export: {peakWorkingSet / 1048576.0:N0} MiB; managed allocation per export: {allocated / 1048576.0:N0} MiB"));
        foreach (var table in ExportTables.All)
        {
            var mine = files.Where(f => f.FullName.Contains($"{Path.DirectorySeparatorChar}{table}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
            var manifest = Directory.EnumerateFiles(Path.Combine(exportRoot, table), "_manifest.json", SearchOption.AllDirectories).Single();
            var rows = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("rows").GetInt64();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {table,-16} {rows,10:N0} rows in {mine.Count} file(s), {mine.Sum(f => f.Length) / 1e6,8:N2} MB"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Written: {files.Sum(f => f.Length) / 1e6:N2} MB of Parquet (snappy) for {generator.PayloadBytes / 1e6:N1} MB of journal payloads"));
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static PlatformOptions PlatformOptions()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Id"] = Platform,
            ["Name"] = "CISS Central",
            ["Channel"] = "voice",
            ["AccountSid"] = "AC00000000000000000000000000c0c0c0",
            ["WorkspaceSid"] = "WS00000000000000000000000000c0c0c0",
            ["AuthToken"] = "bench_token_not_a_secret_0000000",
            ["TimeZone"] = "Australia/Sydney",
            ["SupportTypeRules:0:Attribute"] = "supportType",
            ["TeamAttribute"] = "team_name",
            ["OfflineActivities:0"] = "Offline",
            ["ServiceLevelSeconds:imminent"] = "20",
            ["ServiceLevelSeconds:safety"] = "30",
            ["ServiceLevelSeconds:default"] = "60",
            ["ShortAbandonSeconds"] = "10",
            ["UrgentWaitAlertSeconds:imminent"] = "30",
            ["UrgentWaitAlertSeconds:safety"] = "60",
        };
        string[] types = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
        for (var i = 0; i < types.Length; i++)
        {
            settings[$"SupportTypes:{i}"] = types[i];
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Get<PlatformOptions>()!;
    }
}
