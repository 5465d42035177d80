using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Bench.Hub;

/// <summary>
/// The real host on Kestrel (journal, dispatcher, grains, hub); clients subscribe to the 15m window of one of 50
/// queues. Ingest journals task.created and, 200 tasks later, task.canceled, half and half, so live state stays
/// bounded. The n-th task.created of a queue is stamped when appended; the first Updated whose <c>offered</c>
/// reaches n delivers it.
/// </summary>
internal static class WallboardRun
{
    private const string Account = "AC0000000000000000000000000000d161";
    private const string Workspace = "WS0000000000000000000000000000d161";

    public static async Task<RunResult> RunAsync(int clients, int scopes, int eventsPerSecond, TimeSpan duration)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"lifeline-bench-hub-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var factory = new BenchHost(folder);
        try
        {
            return await RunAsync(factory, folder, clients, scopes, eventsPerSecond, duration);
        }
        finally
        {
            try
            {
                await factory.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
                // A silo stopping under load may outlast the host's shutdown timeout; the figures are already taken.
                Console.WriteLine("  (host shutdown timed out)");
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<RunResult> RunAsync(BenchHost factory, string folder, int clients, int scopes, int eventsPerSecond, TimeSpan duration)
    {
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var journal = factory.Services.GetRequiredService<IEventJournal>();

        var queues = Enumerable.Range(0, scopes).Select(q => "WQ" + q.ToString("x32", CultureInfo.InvariantCulture)).ToArray();
        var capacity = (int)(duration.TotalSeconds * eventsPerSecond / 2 / scopes * 1.5) + 1_000;
        var stamps = queues.Select(_ => new long[capacity]).ToArray();
        var sequences = queues.Select(_ => new long[capacity]).ToArray();
        var firstReceived = queues.Select(_ => new long[capacity]).ToArray();
        var dispatcher = factory.Services.GetRequiredService<LifelineRealtime.Grains.Dispatch.JournalDispatcher>();
        var dispatched = new List<(long Sequence, long At)>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            // When each journal sequence reached the grains: separates dispatch lag from the push path.
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            while (await tick.WaitForNextTickAsync(stopSampling.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
            {
                var sequence = dispatcher.DispatchedSequence;
                lock (dispatched)
                {
                    if (dispatched.Count == 0 || dispatched[^1].Sequence != sequence)
                    {
                        dispatched.Add((sequence, Stopwatch.GetTimestamp()));
                    }
                }
            }
        });
        var latency = new LatencyHistogram();
        long messages = 0;
        var options = new JsonSerializerOptions(LifelineJson.Options);

        var connections = await BareHubRun.Connect(clients, i =>
        {
            var q = i % scopes;
            long seen = -1;
            var connection = new HubConnectionBuilder()
                .WithUrl(address + "/hubs/wallboard", o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                .AddJsonProtocol(o => o.PayloadSerializerOptions = options)
                .Build();
            connection.On<MetricsSnapshot>("Snapshot", s => Interlocked.CompareExchange(ref seen, s.Totals.Offered, -1));
            connection.On<MetricsSnapshot>("Updated", s =>
            {
                var now = Stopwatch.GetTimestamp();
                var from = Interlocked.Exchange(ref seen, Math.Max(Interlocked.Read(ref seen), s.Totals.Offered));
                for (var n = Math.Max(from, 0); n < s.Totals.Offered && n < capacity; n++)
                {
                    latency.Record(Stopwatch.GetElapsedTime(Volatile.Read(ref stamps[q][n]), now).TotalMilliseconds);
                    Interlocked.CompareExchange(ref firstReceived[q][n], now, 0);
                }

                Interlocked.Increment(ref messages);
            });
            return (connection, () => connection.InvokeAsync("Subscribe", "digi", "queue", queues[q], "15m"));
        });
        Console.WriteLine($"  {connections.Count} clients subscribed");

        var memory = new List<string>();
        var started = Stopwatch.GetTimestamp();
        var perTick = eventsPerSecond / 20;
        var created = new int[scopes];
        var task = 0;
        var nextSample = TimeSpan.Zero;
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50)))
        {
            while (await timer.WaitForNextTickAsync())
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed >= duration)
                {
                    break;
                }

                if (elapsed >= nextSample)
                {
                    memory.Add(Memory(elapsed, journal.HighWaterSequence));
                    nextSample += TimeSpan.FromSeconds(Math.Max(15, duration.TotalSeconds / 8));
                }

                var nowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
                var entries = new List<JournalEntry>(perTick);
                var createdThisTick = new List<(int Queue, int N, int Entry)>();
                for (var e = 0; e < perTick; e += 2, task++)
                {
                    var q = task % scopes;
                    createdThisTick.Add((q, created[q]++, entries.Count));
                    entries.Add(Entry("task.created", task, queues[q], nowMs));
                    if (task >= 200)
                    {
                        entries.Add(Entry("task.canceled", task - 200, queues[(task - 200) % scopes], nowMs));
                    }
                }

                var stamp = Stopwatch.GetTimestamp();
                foreach (var (q, n, _) in createdThisTick)
                {
                    if (n < capacity)
                    {
                        Volatile.Write(ref stamps[q][n], stamp);
                    }
                }

                var results = await journal.AppendAsync(entries);
                foreach (var (q, n, entry) in createdThisTick)
                {
                    if (n < capacity)
                    {
                        sequences[q][n] = results[entry].Sequence;
                    }
                }
            }
        }

        var total = Stopwatch.GetElapsedTime(started);
        await stopSampling.CancelAsync();
        await sampler;
        var pushPath = new LatencyHistogram();
        for (var q = 0; q < scopes; q++)
        {
            for (var n = 0; n < Math.Min(created[q], capacity); n++)
            {
                var received = firstReceived[q][n];
                var at = DispatchedAt(dispatched, sequences[q][n]);
                if (received != 0 && at is { } dispatchedAt)
                {
                    pushPath.Record(Math.Max(0, Stopwatch.GetElapsedTime(dispatchedAt, received).TotalMilliseconds));
                }
            }
        }

        memory.Insert(0, $"push path only (dispatched to grains → first client of the scope): {pushPath.Count:N0} events; p50 {pushPath.Percentile(50):F0} ms, p99 {pushPath.Percentile(99):F0} ms, max {pushPath.Percentile(100):F0} ms");
        memory.Add(Memory(total, journal.HighWaterSequence));
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        return new RunResult(latency, Interlocked.Read(ref messages), total, memory, journal.HighWaterSequence);
    }

    /// <summary>The first sample at which the dispatcher had passed the sequence.</summary>
    private static long? DispatchedAt(List<(long Sequence, long At)> samples, long sequence)
    {
        int low = 0, high = samples.Count - 1;
        long? found = null;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (samples[mid].Sequence >= sequence)
            {
                found = samples[mid].At;
                high = mid - 1;
            }
            else
            {
                low = mid + 1;
            }
        }

        return found;
    }

    private static string Memory(TimeSpan at, long journaled)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return $"t={at.TotalSeconds,5:F0} s  journaled {journaled,9:N0}  managed heap after full GC {GC.GetTotalMemory(false) / 1048576.0,7:F1} MB  working set {process.WorkingSet64 / 1048576.0,7:F1} MB";
    }

    private static JournalEntry Entry(string type, int task, string queue, long timeMs)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Sid"] = "EV" + (type == "task.created" ? "c" : "d") + task.ToString("x31", CultureInfo.InvariantCulture),
            ["EventType"] = type,
            ["AccountSid"] = Account,
            ["WorkspaceSid"] = Workspace,
            ["TimestampMs"] = timeMs.ToString(CultureInfo.InvariantCulture),
            ["TaskSid"] = "WT" + task.ToString("x32", CultureInfo.InvariantCulture),
            ["TaskQueueSid"] = queue,
            ["TaskAttributes"] = "{\"supportType\":\"support\"}",
        };
        var body = new StringBuilder();
        foreach (var (key, value) in fields)
        {
            body.Append(body.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        var text = body.ToString();
        var parsed = TaskRouterEventParser.ParseFormBody(text);
        return new JournalEntry("digi", parsed.Event ?? throw new InvalidOperationException(type + " does not parse"), JournalWireFormat.Form, text);
    }

    /// <summary>The host with one platform and files in a private folder (grain state path as a host setting: it is read while Program builds).</summary>
    private sealed class BenchHost(string folder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseContentRoot(AppContext.BaseDirectory);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
            builder.UseSetting("Lifeline:Storage:GrainStatePath", Path.Combine(folder, "grains.db"));
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Lifeline:Ingest:PublicBaseUrl"] = "https://lifeline.example.org",
                ["Lifeline:Storage:Provider"] = "Sqlite",
                ["Lifeline:Storage:Path"] = Path.Combine(folder, "journal.db"),
                // Sign-in is checked once per connection, not per push: the bench measures the pushes.
                ["Lifeline:Auth:Mode"] = "Open",
                ["Logging:LogLevel:Default"] = "Error",
                ["Lifeline:Platforms:0:Id"] = "digi",
                ["Lifeline:Platforms:0:Name"] = "DIGI Central",
                ["Lifeline:Platforms:0:Channel"] = "chat",
                ["Lifeline:Platforms:0:AccountSid"] = Account,
                ["Lifeline:Platforms:0:WorkspaceSid"] = Workspace,
                ["Lifeline:Platforms:0:AuthToken"] = "bench_only_auth_token_0123456789ab",
                ["Lifeline:Platforms:0:TimeZone"] = "Australia/Sydney",
                ["Lifeline:Platforms:0:SupportTypes:0"] = "imminent",
                ["Lifeline:Platforms:0:SupportTypes:1"] = "support",
                ["Lifeline:Platforms:0:SupportTypeRules:0:Attribute"] = "supportType",
                ["Lifeline:Platforms:0:ServiceLevelSeconds:default"] = "60",
                ["Lifeline:Platforms:0:UrgentWaitAlertSeconds:imminent"] = "30",
            };
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        }
    }
}
