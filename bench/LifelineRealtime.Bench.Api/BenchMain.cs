using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Host;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Journal;
using LifelineRealtime.Host.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LifelineRealtime.Bench.Api;

/// <summary>
/// Fills the real host (Kestrel, co-hosted silo, SQLite journal and grain state) with a generated year,
/// lets the dispatcher deliver it, then times the API over HTTP against the SQL baseline in the same run.
/// </summary>
internal static class BenchMain
{
    private const string Platform = "ciss";

    public static async Task<int> Main(string[] args)
    {
        var events = Option(args, "--events", 100_000);
        var openTasks = Option(args, "--open-tasks", 20_000, min: 0);
        var teams = Option(args, "--teams", 50);
        var workers = Option(args, "--workers", 5_000);
        var daySamples = Option(args, "--day-samples", 3_000);
        var rangeSamples = Option(args, "--range-samples", 500);
        var sqlDaySamples = Option(args, "--sql-day-samples", 300);
        var sqlRangeSamples = Option(args, "--sql-range-samples", 5);
        var httpEvents = Option(args, "--http-events", 50_000, min: 0);
        var folder = Path.Combine(Path.GetTempPath(), $"lifeline-bench-api-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync(folder, events, openTasks, teams, Math.Max(1, workers / teams), daySamples, rangeSamples, sqlDaySamples, sqlRangeSamples, httpEvents);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(string folder, int events, int openTasks, int teams, int workersPerTeam, int daySamples, int rangeSamples, int sqlDaySamples, int sqlRangeSamples, int httpEvents)
    {
        const string account = "AC00000000000000000000000000be4c00";
        const string workspace = "WS00000000000000000000000000be4c00";
        await using var app = BuildHost(folder, account, workspace);
        await app.StartAsync();
        var journal = app.Services.GetRequiredService<IEventJournal>();
        var dispatcher = app.Services.GetRequiredService<JournalDispatcher>();
        var settings = app.Services.GetRequiredService<PlatformCatalog>().Get(Platform);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var nowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var today = settings.LocalDate(nowMs);
        var firstDay = today.AddDays(-YearGenerator.Days);
        var generator = new YearGenerator(Platform, account, workspace, teams, workersPerTeam, seed: 42);

        Console.WriteLine($"Filling: {events:N0} events over {YearGenerator.Days} days ({firstDay:yyyy-MM-dd}..{today.AddDays(-1):yyyy-MM-dd}), {teams} teams, {teams * workersPerTeam:N0} workers, {openTasks:N0} open tasks");
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var fill = Stopwatch.StartNew();
        long journaled = 0;
        var httpReported = httpEvents == 0;
        async Task ReportHttpAsync()
        {
            var answered = fill.Elapsed;
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await dispatcher.WaitForDispatchAsync(journal.HighWaterSequence, wait.Token);
            var inGrains = fill.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HTTP ingest → stats: {journaled:N0} signed form callbacks from {Senders} concurrent senders answered in {answered.TotalSeconds:F1} s ({journaled / answered.TotalSeconds:N0} events/s); all applied to the stats after {inGrains.TotalSeconds:F1} s ({journaled / inGrains.TotalSeconds:N0} events/s end to end)"));
            httpReported = true;
        }

        foreach (var batch in generator.Generate(events, openTasks, settings.LocalDayStartMs(firstDay), nowMs, batchSize: 5_000))
        {
            if (journaled < httpEvents)
            {
                // The first events arrive as Twilio sends them: signed form callbacks over HTTP.
                await PostAsync(http, batch);
                journaled += batch.Count;
                continue;
            }

            if (!httpReported)
            {
                await ReportHttpAsync();
            }

            await journal.AppendAsync(batch);
            journaled += batch.Count;
        }

        if (!httpReported)
        {
            await ReportHttpAsync();
        }

        var appended = fill.Elapsed;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30)))
        {
            await dispatcher.WaitForDispatchAsync(journal.HighWaterSequence, timeout.Token);
        }

        var delivered = fill.Elapsed;

        // Delivery is followed by the checkpoint, which flushes every touched grain; time reads only after it.
        var checkpoint = grains.GetGrain<IDispatchCheckpointGrain>(JournalDispatcher.CheckpointKey);
        while (await checkpoint.GetAsync() < journal.HighWaterSequence)
        {
            await Task.Delay(100);
        }

        var flushed = fill.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Journaled {journaled:N0} events in {appended.TotalSeconds:F1} s; all delivered to grains after {delivered.TotalSeconds:F1} s ({journaled / delivered.TotalSeconds:N0} events/s end to end), checkpointed after {flushed.TotalSeconds:F1} s"));

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using (var process = Process.GetCurrentProcess())
        {
            var live = await grains.GetGrain<IStatsGrain>(StatsKey.Platform(Platform).ToGrainKey()).GetLiveAsync();
            var waiting = live.Tasks.Pending + live.Tasks.Reserved;
            var present = live.Workers.Sum(a => a.Workers);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Memory with {present:N0} workers present and {waiting:N0} open tasks held by grains: working set {process.WorkingSet64 / 1048576.0:F0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB"));
        }

        using var sql = new SqlBaseline(Path.Combine(folder, "baseline.db"), generator.Facts);
        using var journalSql = new JournalSqlBaseline(Path.Combine(folder, "lifeline.db"), Platform);
        var random = new Random(7);
        string Team() => YearGenerator.TeamName(random.Next(teams));
        DateOnly Day() => firstDay.AddDays(random.Next(YearGenerator.Days));
        var rangeWindow = $"range:{firstDay:yyyy-MM-dd}..{today.AddDays(-1):yyyy-MM-dd}";
        var rangeStart = settings.LocalDayStartMs(firstDay);
        var rangeEnd = settings.LocalDayStartMs(today);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQL GROUP BY over the journal reads a journal of {journalSql.JournalRows():N0} rows (SELECT COUNT(*) FROM events); a 365-day range query reads {journalSql.CandidateRows(Platform, rangeStart, rangeEnd):N0} of them by the time index"));

        Console.WriteLine($"Its plan: {journalSql.Plan()}");

        // Same answers, every way: the handled count of a team-day must agree before anything is timed.
        var (agreeFacts, agreeJournal, agreeSql) = (0, 0, 0);
        for (var i = 0; i < 20; i++)
        {
            var (team, day) = (Team(), Day());
            var body = await http.GetStringAsync(MetricsUrl(team, $"day:{day:yyyy-MM-dd}"));
            var api = JsonDocument.Parse(body).RootElement.GetProperty("totals").GetProperty("handled").GetInt64();
            var (start, end) = (settings.LocalDayStartMs(day), settings.LocalDayStartMs(day.AddDays(1)));
            agreeFacts += api == sql.Query(team, start, end) ? 1 : 0;
            agreeJournal += api == journalSql.Query(team, start, end) ? 1 : 0;
            agreeSql += sql.Answer(team, start, end) == journalSql.Answer(team, start, end) ? 1 : 0;
        }

        Console.WriteLine($"API and SQL agree on the handled count of {agreeFacts}/20 random team-days (SQL over a materialised fact table) and {agreeJournal}/20 (SQL GROUP BY over the journal); the two SQL ways agree on every measure of {agreeSql}/20");

        FloorBody = await http.GetStringAsync(MetricsUrl(Team(), $"day:{Day():yyyy-MM-dd}"));
        var floor = await TimeAsync(daySamples, async () => await http.GetStringAsync("/bench/floor"));
        var dayApi = await TimeAsync(daySamples, async () => await http.GetStringAsync(MetricsUrl(Team(), $"day:{Day():yyyy-MM-dd}")), label: "team day, API");
        var rangeApi = await TimeAsync(rangeSamples, async () => await http.GetStringAsync(MetricsUrl(Team(), rangeWindow)), label: "team range, API");
        var dayGrain = await TimeAsync(daySamples, async () => await TeamGrain(grains, Team()).GetMetricsAsync($"day:{Day():yyyy-MM-dd}"), label: "team day, grain");
        var rangeGrain = await TimeAsync(rangeSamples, async () => await TeamGrain(grains, Team()).GetMetricsAsync(rangeWindow));
        var daySql = await TimeAsync(daySamples, () =>
        {
            var day = Day();
            sql.Query(Team(), settings.LocalDayStartMs(day), settings.LocalDayStartMs(day.AddDays(1)));
            return Task.CompletedTask;
        });
        var rangeSql = await TimeAsync(rangeSamples, () =>
        {
            sql.Query(Team(), rangeStart, rangeEnd);
            return Task.CompletedTask;
        });

        // One range query over a large journal takes seconds: fewer samples and a single warm-up call.
        var dayJournal = await TimeAsync(sqlDaySamples, () =>
        {
            var day = Day();
            journalSql.Query(Team(), settings.LocalDayStartMs(day), settings.LocalDayStartMs(day.AddDays(1)));
            return Task.CompletedTask;
        }, warmUp: Math.Min(20, sqlDaySamples));
        var rangeJournal = await TimeAsync(sqlRangeSamples, () =>
        {
            journalSql.Query(Team(), rangeStart, rangeEnd);
            return Task.CompletedTask;
        }, warmUp: Math.Min(1, sqlRangeSamples));

        Console.WriteLine();
        Console.WriteLine("| answer | way | samples | p50 ms | p99 ms | journal SQL p50 / this p50 | journal SQL p99 / this p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Row("team day: metrics", "HTTP floor: the same body from memory", floor, dayJournal);
        Row("team day: metrics", "API over HTTP (JSON)", dayApi, dayJournal);
        Row("team day: metrics", "grain call in-process", dayGrain, dayJournal);
        Row("team day: metrics", "SQL over a materialised fact table (generous)", daySql, dayJournal);
        Row("team day: metrics", "SQL GROUP BY over the journal", dayJournal, dayJournal);
        Row("team 365-day range", "API over HTTP (JSON)", rangeApi, rangeJournal);
        Row("team 365-day range", "grain call in-process", rangeGrain, rangeJournal);
        Row("team 365-day range", "SQL over a materialised fact table (generous)", rangeSql, rangeJournal);
        Row("team 365-day range", "SQL GROUP BY over the journal", rangeJournal, rangeJournal);
        await app.StopAsync();
    }

    private const int Senders = 16;
    private const string PublicBaseUrl = "https://lifeline.example.org";
    private const string AuthToken = "bench_token_not_a_secret_0000000";

    private static async Task PostAsync(HttpClient http, List<JournalEntry> batch)
    {
        const string path = "/webhooks/taskrouter/" + Platform;
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (entry, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(entry.Payload, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("X-Twilio-Signature", TwilioSignature.ComputeForForm(AuthToken, PublicBaseUrl + path, entry.Payload));
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        });
    }

    private static IStatsGrain TeamGrain(IGrainFactory grains, string team) =>
        grains.GetGrain<IStatsGrain>(new StatsKey(Platform, ScopeKind.Team, team).ToGrainKey());

    private static string MetricsUrl(string team, string window) =>
        $"/api/platforms/{Platform}/teams/{Uri.EscapeDataString(team)}/metrics?window={Uri.EscapeDataString(window)}";

    private static WebApplication BuildHost(string folder, string account, string workspace)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = folder });
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Lifeline:Storage:Provider"] = "Sqlite",
            ["Lifeline:Storage:Path"] = Path.Combine(folder, "lifeline.db"),
            ["Lifeline:Ingest:MaxBodyBytes"] = "1048576",
            ["Lifeline:Ingest:PublicBaseUrl"] = PublicBaseUrl,
            ["Lifeline:Platforms:0:Id"] = Platform,
            ["Lifeline:Platforms:0:Name"] = "CISS Central",
            ["Lifeline:Platforms:0:Channel"] = "voice",
            ["Lifeline:Platforms:0:AccountSid"] = account,
            ["Lifeline:Platforms:0:WorkspaceSid"] = workspace,
            ["Lifeline:Platforms:0:AuthToken"] = AuthToken,
            ["Lifeline:Platforms:0:TimeZone"] = "Australia/Sydney",
            ["Lifeline:Platforms:0:SupportTypeRules:0:Attribute"] = "supportType",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:default"] = "60",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:imminent"] = "20",
        };
        string[] types = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
        for (var i = 0; i < types.Length; i++)
        {
            settings[$"Lifeline:Platforms:0:SupportTypes:{i}"] = types[i];
        }

        // The read path itself, without token validation in front of it.
        settings["Lifeline:Auth:Mode"] = "Open";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddLifelineOptions();
        builder.AddEventJournal();
        builder.AddTaskRouterIngest();
        builder.AddLifelineSilo();
        builder.AddLifelineAccess();
        builder.AddMetricsApi();
        var app = builder.Build();
        app.UseLifelineAccess();
        app.MapTaskRouterWebhooks();
        app.MapMetricsApi();

        // The transport floor: the same client and server, answering with a team-day body held in memory.
        app.MapGet("/bench/floor", () => Results.Text(FloorBody, "application/json"));
        return app;
    }

    private static async Task<double[]> TimeAsync(int samples, Func<Task> call, int warmUp = 200, string? label = null)
    {
        for (var i = 0; i < Math.Min(warmUp, samples); i++)
        {
            await call();
        }

        var times = new double[samples];
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes();
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        if (label is not null)
        {
            // Tails on a large heap are mostly collections: say how many fell inside the timed calls.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label}: {(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / samples:F1} KiB allocated per call; collections during {samples} calls: gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F1} ms"));
        }

        Array.Sort(times);
        return times;
    }

    /// <summary>A real team-day answer, served by the floor route.</summary>
    private static string FloorBody { get; set; } = "{}";

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static void Row(string answer, string way, double[] these, double[] baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {answer} | {way} | {these.Length} | {Percentile(these, 0.5):F3} | {Percentile(these, 0.99):F3} | {Percentile(baseline, 0.5) / Percentile(these, 0.5):F2}× | {Percentile(baseline, 0.99) / Percentile(these, 0.99):F2}× |"));

    private static int Option(string[] args, string name, int fallback, int min = 1)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }

        return i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new ArgumentException($"option {name} needs a whole number of at least {min}", nameof(args));
    }
}
