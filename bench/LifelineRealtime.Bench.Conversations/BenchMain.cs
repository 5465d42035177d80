using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Journal;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Storage.Conversations;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace LifelineRealtime.Bench.Conversations;

/// <summary>
/// Fills a month of one platform (journal events and the conversation list, in one SQLite file), checks that the
/// store, the API and SQL over the journal give the same conversations for every filter, then times the first page
/// and a cursor walk of the next pages each way, in the same run.
/// </summary>
internal static class BenchMain
{
    private const string Platform = "ciss";
    private const int PageSize = ConversationsApi.DefaultLimit;
    private const int MinSamples = 5;

    // A fixed calendar month, so every run holds the same data: Sydney's clocks go forward on its first Sunday.
    private static readonly DateOnly FirstDay = new(2026, 10, 1);
    private static readonly DateOnly LastDay = new(2026, 10, 31);

    public static async Task<int> Main(string[] args)
    {
        var conversations = Option(args, "--conversations", 100_000);
        var workers = Option(args, "--workers", 100);
        var teams = Option(args, "--teams", 8);
        var samples = Option(args, "--samples", 200);
        var walk = Option(args, "--walk", 20);
        var sqlSamples = Option(args, "--sql-samples", 2);
        var sqlNextSamples = Option(args, "--sql-next-samples", 1);
        var budget = TimeSpan.FromSeconds(Option(args, "--budget-seconds", 2));
        var fill = Text(args, "--fill", "direct");
        if (fill is not ("direct" or "dispatcher"))
        {
            Console.Error.WriteLine($"--fill must be direct or dispatcher, not '{fill}'");
            return 2;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"lifeline-bench-conversations-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var problems = await RunAsync(folder, fill == "dispatcher", conversations, workers, teams, samples, walk, sqlSamples, sqlNextSamples, budget);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"WRONG: {problem}");
            }

            return problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<string>> RunAsync(string folder, bool throughDispatcher, int conversations, int workers, int teams, int samples, int walk, int sqlSamples, int sqlNextSamples, TimeSpan budget)
    {
        var platform = PlatformOptions();
        var settings = PlatformSettings.Create(platform);
        var monthPath = Path.Combine(folder, "lifeline.db");
        var days = LastDay.DayNumber - FirstDay.DayNumber + 1;
        var (fromMs, toMs) = (settings.LocalDayStartMs(FirstDay), settings.LocalDayStartMs(LastDay.AddDays(1)));
        var generator = new MonthGenerator(platform, settings, FirstDay, days, conversations, workers, teams);
        var records = new List<ConversationRecord>(conversations + (conversations / 10));
        Console.WriteLine($"Filling {FirstDay:yyyy-MM}: about {conversations:N0} tasks of platform {Platform} ({platform.Channel}, {platform.TimeZone}), {workers} workers in {teams} teams, "
            + (throughDispatcher ? "events appended to the host's journal and delivered by its dispatcher" : "events appended to the journal, records built by TaskLifecycle and upserted to the store"));
        var filling = Stopwatch.StartNew();

        SqliteConversationStore? directStore = null;
        if (!throughDispatcher)
        {
            directStore = new SqliteConversationStore(monthPath);
            using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
            await using var journal = new SqliteEventJournal(
                new SqliteJournalOptions { Path = monthPath, Durability = JournalDurability.Normal },
                TimeProvider.System, new JournalInstruments(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<SqliteEventJournal>.Instance);
            // Generation (simulation, parsing, lifecycles) on one core while the other writes the file.
            var batches = Channel.CreateBounded<(List<JournalEntry> Entries, List<ConversationRecord> Finished)>(4);
            var producing = Task.Run(async () =>
            {
                foreach (var batch in generator.Generate(batchSize: 5_000))
                {
                    await batches.Writer.WriteAsync(batch);
                }

                batches.Writer.Complete();
            });
            await foreach (var (entries, finished) in batches.Reader.ReadAllAsync())
            {
                // One writer at a time on the file: the journal's commit, then the records.
                await journal.AppendAsync(entries);
                await directStore.UpsertAsync(finished);
                records.AddRange(finished);
            }

            await producing;
        }

        var hostJournal = throughDispatcher ? monthPath : Path.Combine(folder, "host.db");
        await using var app = BuildHost(folder, hostJournal, directStore);
        await app.StartAsync();
        var store = app.Services.GetRequiredService<IConversationStore>();
        if (throughDispatcher)
        {
            var journal = app.Services.GetRequiredService<IEventJournal>();
            foreach (var (entries, finished) in generator.Generate(batchSize: 5_000))
            {
                await journal.AppendAsync(entries);
                records.AddRange(finished);
            }

            var appended = filling.Elapsed;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30)))
            {
                await app.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(journal.HighWaterSequence, timeout.Token);
            }

            // The conversation rows are written with the round's checkpoint: wait for it.
            var checkpoint = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IDispatchCheckpointGrain>(JournalDispatcher.CheckpointKey);
            while (await checkpoint.GetAsync() < journal.HighWaterSequence)
            {
                await Task.Delay(100);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  journaled {generator.Events:N0} events in {appended.TotalSeconds:F1} s; the dispatcher had delivered them all and checkpointed after {filling.Elapsed.TotalSeconds:F1} s ({generator.Events / filling.Elapsed.TotalSeconds:N0} events/s end to end)"));
        }

        var filled = filling.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {generator.Events:N0} events ({generator.PayloadBytes / 1048576.0:N0} MiB of form bodies), {records.Count:N0} conversations, filled in {filled.TotalSeconds:F1} s; file {new FileInfo(monthPath).Length / 1048576.0:N0} MiB"));
        Console.WriteLine("  outcomes: " + string.Join(", ", records.GroupBy(r => SqliteConversationStore.OutcomeName(r.Outcome)).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}")));
        Console.WriteLine("  support types: " + string.Join(", ", records.GroupBy(r => r.SupportType).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}")));

        var problems = new List<string>();
        if (throughDispatcher)
        {
            // What the dispatcher stored must be what the engine's lifecycle builds from the same events.
            var differing = 0;
            foreach (var record in records)
            {
                var row = await store.GetAsync(Platform, record.TaskSid);
                differing += row?.Record == record ? 0 : 1;
            }

            Console.WriteLine($"  the dispatcher's store holds the generated record of {records.Count - differing:N0}/{records.Count:N0} tasks");
            if (differing > 0)
            {
                problems.Add($"{differing:N0} of {records.Count:N0} conversations stored by the dispatcher differ from the records TaskLifecycle builds from the same events");
            }
        }

        // Realistic filters: a team, a worker and a task chosen from the month's own records (seeded).
        var random = new Random(7);
        var team = records.Where(r => r.Team is not null).GroupBy(r => r.Team!).OrderBy(g => g.Key, StringComparer.Ordinal).ElementAt(random.Next(Math.Max(1, teams / 2))).Key;
        var handledBy = records.Where(r => r.WorkerSid is not null).GroupBy(r => r.WorkerSid!).OrderBy(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var worker = handledBy[handledBy.Count / 2].Key;
        var sid = records[random.Next(records.Count)].TaskSid;
        ConversationFilter[] filters =
        [
            new("month"),
            new("month + team", Team: team),
            new("month + supportType=imminent", SupportType: "imminent"),
            new("month + outcome=abandoned", Outcome: "abandoned"),
            new("month + worker", Worker: worker),
            new("q = a task Sid", Sid: sid),
        ];

        using var sql = new JournalConversationSql(monthPath, Platform, settings.ShortAbandonMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The journal holds {sql.JournalRows():N0} rows; the month's SQL reads {sql.CandidateRows(fromMs, toMs):N0} of them by the time index. Its plan: {sql.Plan(filters[1], fromMs, toMs)}"));

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        // Same answers every way before anything is timed: every page of the store's cursor walk against the records
        // the lifecycle built, and the API's first two pages against the store's. The journal SQL is checked on the
        // pages it answers while timed (its first two and its count of matches), at no cost of its own.
        Console.WriteLine();
        Console.WriteLine("Agreement of the store and the API (every page of the store's cursor walk against the generated records; the API's first two pages against the store's):");
        var walks = new Dictionary<ConversationFilter, List<(string TaskSid, long SortMs)>>();
        var checking = Stopwatch.StartNew();
        foreach (var filter in filters)
        {
            var walked = new List<(string TaskSid, long SortMs)>();
            ConversationPosition? after = null;
            while (true)
            {
                var page = await store.QueryAsync(filter.ToQuery(Platform, fromMs, toMs, PageSize, after));
                walked.AddRange(page.Select(r => (r.Record.TaskSid, r.SortMs)));
                if (page.Count < PageSize)
                {
                    break;
                }

                after = new ConversationPosition(page[^1].SortMs, page[^1].Record.TaskSid);
            }

            walks[filter] = walked;
            var generated = records.Where(r => Matches(r, filter, settings)).Select(r => (r.TaskSid, r.CreatedMs!.Value))
                .OrderByDescending(r => r.Value).ThenByDescending(r => r.TaskSid, StringComparer.Ordinal).ToList();
            var apiFirst = await ApiPageAsync(http, filter.ToUrl(Platform, FirstDay, LastDay, null));
            var apiSecond = apiFirst.Next is null ? (Sids: new List<string>(), Next: null) : await ApiPageAsync(http, filter.ToUrl(Platform, FirstDay, LastDay, apiFirst.Next));
            var apiAgrees = apiFirst.Sids.Concat(apiSecond.Sids).SequenceEqual(walked.Take(2 * PageSize).Select(r => r.TaskSid));
            var storeAgrees = walked.SequenceEqual(generated);
            Console.WriteLine($"  {filter.Name}: store {walked.Count:N0} rows in {Math.Max(1, (walked.Count + PageSize - 1) / PageSize):N0} pages, generated records {generated.Count:N0}, {(storeAgrees ? "same" : "DIFFERENT")}; API pages 1–2 {(apiAgrees ? "same" : "DIFFERENT")}");
            if (!storeAgrees)
            {
                problems.Add($"filter '{filter.Name}': the store's walk has {walked.Count} rows, the generated records {generated.Count}; only in the records: [{string.Join(", ", generated.Except(walked).Take(3))}], only in the store: [{string.Join(", ", walked.Except(generated).Take(3))}]");
            }

            if (!apiAgrees)
            {
                problems.Add($"filter '{filter.Name}': the API's first two pages differ from the store's");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  checked in {checking.Elapsed.TotalSeconds:F1} s"));
        if (problems.Count > 0)
        {
            await app.StopAsync();
            return problems;
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Timing: up to {samples} samples per filter and way for the store and the API, or what fits in {budget.TotalSeconds:N0} s (first page; next pages walked with the cursor, {walk} pages a walk); {sqlSamples} for the journal SQL's first page and {sqlNextSamples} for the page after it"));
        var results = new List<(ConversationFilter Filter, string Way, double[] First, double[]? Next)>();
        foreach (var filter in filters)
        {
            var storeFirst = await TimeAsync(samples, budget, () => store.QueryAsync(filter.ToQuery(Platform, fromMs, toMs, PageSize + 1, null)));
            var storeNext = await WalkAsync(samples, budget, walk, async cursor =>
            {
                var rows = await store.QueryAsync(filter.ToQuery(Platform, fromMs, toMs, PageSize + 1, (ConversationPosition?)cursor));
                return rows.Count > PageSize ? new ConversationPosition(rows[PageSize - 1].SortMs, rows[PageSize - 1].Record.TaskSid) : null;
            });
            var apiFirst = await TimeAsync(samples, budget, () => http.GetStringAsync(filter.ToUrl(Platform, FirstDay, LastDay, null)));
            var apiNext = await WalkAsync(samples, budget, walk, async cursor => (await ApiPageAsync(http, filter.ToUrl(Platform, FirstDay, LastDay, (string?)cursor))).Next);
            // Seconds a query, so few samples and no warm-up; every answer is checked against the store's walk.
            var walked = walks[filter];
            var sqlFirst = await TimeAsync(sqlSamples, TimeSpan.Zero, () => Task.FromResult(CheckSql(filter, "first page", sql.Page(filter, fromMs, toMs, null, PageSize + 1), walked, 0, problems)), warmUp: 0);
            double[]? sqlNext = null;
            if (walked.Count > PageSize)
            {
                var position = (walked[PageSize - 1].SortMs, walked[PageSize - 1].TaskSid);
                sqlNext = await TimeAsync(sqlNextSamples, TimeSpan.Zero, () => Task.FromResult(CheckSql(filter, "second page", sql.Page(filter, fromMs, toMs, position, PageSize + 1), walked, PageSize, problems)), warmUp: 0);
            }

            results.Add((filter, "store query (SqliteConversationStore.QueryAsync)", storeFirst, storeNext));
            results.Add((filter, "API over HTTP (JSON)", apiFirst, apiNext));
            results.Add((filter, "journal SQL (baseline)", sqlFirst, sqlNext));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {filter.Name}: timed; journal SQL {(problems.Count == 0 ? "agrees with the store on its pages and its count of matches" : "DISAGREES")}"));
        }

        Console.WriteLine();
        Console.WriteLine("| filter | matches | way | first page: n | p50 ms | p99 ms | journal SQL / this, p50 · p99 | next page: n | p50 ms | p99 ms | journal SQL / this, p50 · p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.Filter))
        {
            var baseline = group.Last();
            foreach (var (filter, way, first, next) in group)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {filter.Name} | {walks[filter].Count:N0} | {way} | {Cells(first, baseline.First)} | {(next is null || baseline.Next is null ? "– | – | – | –" : Cells(next, baseline.Next))} |"));
            }
        }

        await app.StopAsync();
        return problems;
    }

    /// <summary>Compares a journal SQL page with the store's walk from <paramref name="skip"/> on: the rows in order and the count of matches.</summary>
    private static int CheckSql(ConversationFilter filter, string which, (List<(string TaskSid, long SortMs)> Rows, long Matches) page, List<(string TaskSid, long SortMs)> walked, int skip, List<string> problems)
    {
        var expected = walked.Skip(skip).Take(PageSize + 1).ToList();
        if (!page.Rows.SequenceEqual(expected) || page.Matches != walked.Count - skip)
        {
            problems.Add($"filter '{filter.Name}', {which}: journal SQL answers {page.Rows.Count} rows of {page.Matches} matches, the store {expected.Count} of {walked.Count - skip}; first difference at row {page.Rows.Zip(expected).TakeWhile(p => p.First == p.Second).Count() + skip + 1}");
        }

        return page.Rows.Count;
    }

    /// <summary>Whether a record falls under a filter as the store defines it, from the record alone.</summary>
    private static bool Matches(ConversationRecord r, ConversationFilter f, PlatformSettings settings) =>
        (f.Team is null || r.Team == f.Team)
        && (f.Worker is null || r.WorkerSid == f.Worker || r.TransferredToWorkerSids.Contains(f.Worker))
        && (f.SupportType is null || r.SupportType == f.SupportType)
        && (f.Outcome is null || SqliteConversationStore.OutcomeName(r.Outcome) == f.Outcome)
        && (f.Sid is null || r.TaskSid == f.Sid || r.ConversationSid == f.Sid || r.CallSid == f.Sid)
        && r.CreatedMs >= settings.LocalDayStartMs(FirstDay) && r.CreatedMs < settings.LocalDayStartMs(LastDay.AddDays(1));

    private static async Task<(List<string> Sids, string? Next)> ApiPageAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var sids = root.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("taskSid").GetString()!).ToList();
        return (sids, root.GetProperty("next").GetString());
    }

    private static string Cells(double[] these, double[] baseline) => string.Create(CultureInfo.InvariantCulture,
        $"{these.Length} | {Percentile(these, 0.5):F3} | {Percentile(these, 0.99):F3} | {Percentile(baseline, 0.5) / Percentile(these, 0.5):N0}× · {Percentile(baseline, 0.99) / Percentile(these, 0.99):N0}×");

    /// <summary>The host's settings; the platform is the development settings' voice platform.</summary>
    private static Dictionary<string, string?> Settings(string journalPath)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Lifeline:Storage:Provider"] = "Sqlite",
            ["Lifeline:Storage:Path"] = journalPath,
            ["Lifeline:Storage:Durability"] = "Normal",
            ["Lifeline:Platforms:0:Id"] = Platform,
            ["Lifeline:Platforms:0:Name"] = "CISS Central",
            ["Lifeline:Platforms:0:Channel"] = "voice",
            ["Lifeline:Platforms:0:AccountSid"] = "AC00000000000000000000000000c0c0c0",
            ["Lifeline:Platforms:0:WorkspaceSid"] = "WS00000000000000000000000000c0c0c0",
            ["Lifeline:Platforms:0:AuthToken"] = "bench_token_not_a_secret_0000000",
            ["Lifeline:Platforms:0:TimeZone"] = "Australia/Sydney",
            ["Lifeline:Platforms:0:SupportTypeRules:0:Attribute"] = "supportType",
            ["Lifeline:Platforms:0:SupportTypeRules:1:QueueNamePattern"] = "(?i)(check_in|check_out|debrief|imminent|safety|support)",
            ["Lifeline:Platforms:0:TeamAttribute"] = "team_name",
            ["Lifeline:Platforms:0:OfflineActivities:0"] = "Offline",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:imminent"] = "20",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:safety"] = "30",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:default"] = "60",
            ["Lifeline:Platforms:0:ShortAbandonSeconds"] = "10",
            ["Lifeline:Platforms:0:UrgentWaitAlertSeconds:imminent"] = "30",
            ["Lifeline:Platforms:0:UrgentWaitAlertSeconds:safety"] = "60",

            // The read path itself, without token validation in front of it.
            ["Lifeline:Auth:Mode"] = "Open",
        };
        string[] types = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
        for (var i = 0; i < types.Length; i++)
        {
            settings[$"Lifeline:Platforms:0:SupportTypes:{i}"] = types[i];
        }

        return settings;
    }

    private static PlatformOptions PlatformOptions() =>
        new ConfigurationBuilder().AddInMemoryCollection(Settings("unused")).Build().GetSection("Lifeline:Platforms:0").Get<PlatformOptions>()!;

    private static WebApplication BuildHost(string folder, string journalPath, IConversationStore? store)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(Settings(journalPath));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (store is not null)
        {
            // The list filled beside the month's journal; the host's own journal stays empty, so its dispatcher is idle.
            builder.Services.AddSingleton(store);
        }

        builder.AddLifelineOptions();
        builder.AddEventJournal();
        builder.AddTaskRouterIngest();
        builder.AddLifelineSilo();
        builder.AddLifelineAccess();
        builder.AddConversations();
        var app = builder.Build();
        app.UseLifelineAccess();
        app.MapTaskRouterWebhooks();
        app.MapConversations();
        return app;
    }

    /// <summary>
    /// Times <paramref name="samples"/> sequential calls, or as many as fit in <paramref name="budget"/> (at least
    /// <see cref="MinSamples"/>): a filter the store answers by reading the whole month takes too long for hundreds.
    /// The warm-up stops after a quarter of the budget.
    /// </summary>
    private static async Task<double[]> TimeAsync<T>(int samples, TimeSpan budget, Func<Task<T>> call, int warmUp = 20)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < warmUp && clock.Elapsed < budget / 4; i++)
        {
            await call();
        }

        var times = new List<double>(samples);
        clock.Restart();
        while (times.Count < samples && (times.Count < Math.Min(MinSamples, samples) || clock.Elapsed < budget))
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var sorted = times.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>
    /// Times pages after the first: follows the cursor from the first page for <paramref name="pages"/> pages (or to
    /// the end of the list), then starts again, until <paramref name="samples"/> pages are timed or the budget is
    /// spent; null when the list has one page. The first page of each walk is fetched, not timed, and so are the
    /// first pages walked while warming up. A cursor is the store's position or the API's opaque string; null asks
    /// for the first page, and a null answer means no page follows.
    /// </summary>
    private static async Task<double[]?> WalkAsync(int samples, TimeSpan budget, int pages, Func<object?, Task<object?>> page)
    {
        if (await page(null) is null)
        {
            return null;
        }

        var times = new List<double>(samples);
        var warm = 20;
        var clock = Stopwatch.StartNew();
        while (times.Count < samples && (times.Count < MinSamples || clock.Elapsed < budget))
        {
            var cursor = await page(null);
            for (var i = 0; i < pages && cursor is not null && times.Count < samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                cursor = await page(cursor);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (warm > 0 && clock.Elapsed < budget / 4)
                {
                    warm--;
                    continue;
                }

                if (warm > 0)
                {
                    (warm, clock) = (0, Stopwatch.StartNew());
                }

                times.Add(elapsed);
            }
        }

        var sorted = times.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }

        return i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new ArgumentException($"option {name} needs a whole number of at least 1", nameof(args));
    }

    private static string Text(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i < 0 ? fallback : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option {name} needs a value", nameof(args));
    }
}
