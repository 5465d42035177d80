using System.Diagnostics;
using LifelineRealtime.Bench.Ingest;

// Usage: dotnet run -c Release --project bench/LifelineRealtime.Bench.Ingest -- [--events 40000] [--clients 32]
//        [--batches 300] [--batch-clients 4] [--durability Full|Normal]
var settings = BenchSettings.Parse(args);
Console.WriteLine($"LifelineRealtime ingest benchmark: {settings.Events} form events, {settings.Clients} clients; " +
    $"{settings.Batches} Event Streams batches of 100, {settings.BatchClients} clients; durability {settings.Durability}; " +
    $"{Environment.ProcessorCount} cores, {(Debugger.IsAttached ? "debugger attached" : "no debugger")}");
#if DEBUG
Console.WriteLine("WARNING: Debug build; run with -c Release for figures worth reporting.");
#endif

var databasePath = Path.Combine(Path.GetTempPath(), $"lifeline-bench-{Guid.NewGuid():N}.db");
await using var host = await BenchHost.StartAsync(databasePath, settings.Durability);
try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(settings.Clients, settings.BatchClients) })
    {
        BaseAddress = host.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    var formTemplate = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "08-reservation.accepted.form"));
    var warmup = Requests.Form(formTemplate, 1_000_000, 5_000);
    var form = Requests.Form(formTemplate, 0, settings.Events);

    CpuCost.Print(warmup, 5_000);
    CpuCost.Print(form, 20_000);

    // Warm both paths (JIT, connections, SQLite page cache) before anything is measured.
    await Load.RunAsync(http, warmup, "/baseline/digi", settings.Clients);
    await Load.RunAsync(http, warmup, "/webhooks/taskrouter/digi", settings.Clients);

    var baseline = await Load.RunAsync(http, form, "/baseline/digi", settings.Clients);
    var ingest = await Load.RunAsync(http, form, "/webhooks/taskrouter/digi", settings.Clients);
    var journaled = host.Journal.HighWaterSequence;

    // The journal alone: the same events, already parsed, appended by as many concurrent callers.
    var journalOnly = await JournalLoad.RunAsync(host.Journal, formTemplate, 3_000_000, settings.Events, settings.Clients);

    var cloudEvent = Requests.FirstCloudEvent(Path.Combine(AppContext.BaseDirectory, "fixtures", "20-eventstreams-batch.json"));
    var batches = Requests.EventStreams(cloudEvent, 2_000_000, settings.Batches, 100);
    CpuCost.PrintEventStreams(batches, 100);
    var streamsBaseline = await Load.RunAsync(http, batches, "/baseline/digi", settings.BatchClients);
    var streams = await Load.RunAsync(http, batches, null, settings.BatchClients);

    Console.WriteLine();
    Console.WriteLine("| run | requests | events/s | p50 ms | p99 ms | non-204 |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    baseline.Print("baseline: bare 204 route, same form requests", 1);
    ingest.Print("form callbacks: verify, parse, journal, 204", 1);
    streamsBaseline.Print("baseline: bare 204 route, same batches", 100);
    streams.Print("Event Streams, 100 events per batch", 100);
    journalOnly.Print("journal only: parsed events, one per append", 1);
    Console.WriteLine();
    Console.WriteLine(FormattableString.Invariant($"form ingest / baseline: throughput {ingest.PerSecond(1) / baseline.PerSecond(1):0.00}x, p99 {ingest.P99Ms / baseline.P99Ms:0.0}x"));
    Console.WriteLine(FormattableString.Invariant($"Event Streams / baseline: throughput {streams.PerSecond(100) / streamsBaseline.PerSecond(100):0.00}x"));
    Console.WriteLine(FormattableString.Invariant($"journal: {journaled} form events committed, high-water {host.Journal.HighWaterSequence}"));
    Console.WriteLine(FormattableString.Invariant($"journal commits: {host.Commits} transactions, mean batch {host.MeanBatch:0.0} events, mean commit {host.MeanCommitMs:0.00} ms"));
}
finally
{
    await host.DisposeAsync();
    foreach (var suffix in (string[])["", "-wal", "-shm"])
    {
        File.Delete(databasePath + suffix);
    }
}
