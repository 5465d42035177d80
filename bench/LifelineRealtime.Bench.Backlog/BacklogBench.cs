using System.Diagnostics;
using System.Globalization;

namespace LifelineRealtime.Bench.Backlog;

/// <summary>
/// The live answer and the hub with a large backlog: the real host fed 100 open tasks, then 100,000, as signed
/// webhooks, a crowd of hub clients subscribing to the platform at each size, pushes while tasks come and go,
/// and memory before, with the backlog, and after every task closed.
/// </summary>
internal static class BacklogBench
{
    // Usage: dotnet run -c Release --project bench/LifelineRealtime.Bench.Backlog -- [--quick] [--tasks 100000]
    //        [--clients 500] [--seconds 30]
    public static async Task Main(string[] args)
    {
        var quick = args.Contains("--quick") || args.Contains("quick");
        var tasks = Option(args, "--tasks", quick ? 20_000 : 100_000);
        var clients = Option(args, "--clients", 500);
        var seconds = Option(args, "--seconds", quick ? 10 : 30);
        const int Baseline = 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LifelineRealtime backlog benchmark{(quick ? " (quick)" : "")}: {tasks:N0} open tasks against {Baseline} in the same run, {clients} hub clients on the platform scope, {seconds} s of pushes per stage; {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}"));
#if DEBUG
        Console.WriteLine("WARNING: Debug build; run with -c Release for figures worth reporting.");
#endif

        var folder = Path.Combine(Path.GetTempPath(), $"lifeline-bench-backlog-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var host = new BacklogHost(folder);
        try
        {
            host.Start();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(2) };
            var webhooks = new Webhooks(http);
            var memory = new List<(string Stage, Memory Sample)>();

            memory.Add(("host started, nothing fed", await Memory.SampleAsync(host)));
            var fill = Stopwatch.StartNew();
            await webhooks.CreateAsync(0, Baseline);
            await host.DrainAsync();
            // Warm-up (JIT, connection pools, grain activations), not reported.
            await Stage.RunAsync(host, webhooks, Baseline, clients, Math.Min(seconds, 5), report: false);
            var small = await Stage.RunAsync(host, webhooks, Baseline, clients, seconds);
            memory.Add(($"{Baseline} open (before feeding)", await Memory.SampleAsync(host)));

            fill.Restart();
            await webhooks.CreateAsync(Baseline, tasks);
            var answered = fill.Elapsed;
            await host.DrainAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fed {tasks - Baseline:N0} task.created callbacks in {answered.TotalSeconds:F1} s ({(tasks - Baseline) / answered.TotalSeconds:N0}/s), in the grains and checkpointed after {fill.Elapsed.TotalSeconds:F1} s"));
            memory.Add(($"{tasks:N0} open", await Memory.SampleAsync(host)));
            var large = await Stage.RunAsync(host, webhooks, tasks, clients, seconds);
            if (!quick)
            {
                // Open task grains idle for TaskGrain.IdleMinutes are collected; the backlog itself stays open.
                await Memory.WaitForTaskGrainsAsync(host, atMost: Baseline * 2, TimeSpan.FromMinutes(5));
                memory.Add(($"{tasks:N0} open, idle task grains collected", await Memory.SampleAsync(host)));
            }


            fill.Restart();
            await webhooks.CancelAsync(0, tasks);
            await host.DrainAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"closed all {tasks:N0} tasks (task.canceled callbacks) in {fill.Elapsed.TotalSeconds:F1} s"));

            // Finished task grains deactivate once the checkpoint has written them; give the last ones a moment.
            await Task.Delay(TimeSpan.FromSeconds(5));
            memory.Add(("all closed", await Memory.SampleAsync(host)));
            var closed = await Stage.LiveAsync(http);

            Console.WriteLine();
            Console.WriteLine($"| stage | open | stuck | live answer bytes | subscribers with snapshot | all had it after ms | p50 ms | p99 ms | clients with a LiveChanged every second | client-seconds covered | largest gap p50 / max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            small.PrintRow();
            large.PrintRow();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratios {tasks:N0} / {Baseline} open: live answer bytes {(double)large.Live.Bytes / small.Live.Bytes:F2}x, every snapshot delivered {large.Subscribe.AllMs / small.Subscribe.AllMs:F2}x, p99 {large.Subscribe.Percentile(99) / small.Subscribe.Percentile(99):F2}x, client-seconds covered {large.Cadence.Coverage / small.Cadence.Coverage:F3}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"goals: every subscriber's snapshot within 2 s at {tasks:N0} open: {(large.Subscribe.AllMs <= 2_000 ? "met" : "missed")} ({large.Subscribe.AllMs:F0} ms); a LiveChanged every second: {large.Cadence.EverySecond}/{large.Cadence.Clients} clients"));
            Console.WriteLine();
            Console.WriteLine("| memory (after a full compacting GC) | managed heap MB | GC heap size MB | working set MB | task grain activations |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (stage, sample) in memory)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {sample.ManagedMb:F1} | {sample.HeapSizeMb:F1} | {sample.WorkingSetMb:F1} | {sample.TaskGrains:N0} |"));
            }

            var before = memory[1].Sample;
            var full = memory[2].Sample;
            var after = memory[^1].Sample;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per open task: {(full.ManagedMb - before.ManagedMb) * 1048576 / (tasks - Baseline):N0} bytes of managed heap, {(full.WorkingSetMb - before.WorkingSetMb) * 1048576 / (tasks - Baseline):N0} of working set; after all closed vs before feeding: managed heap {after.ManagedMb / before.ManagedMb:F2}x, working set {after.WorkingSetMb / before.WorkingSetMb:F2}x ({after.ManagedMb - before.ManagedMb:+0.0;-0.0} / {after.WorkingSetMb - before.WorkingSetMb:+0.0;-0.0} MB)"));
            if (memory.Count > 4)
            {
                var collected = memory[3].Sample;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"per open task once idle task grains are collected: {(collected.ManagedMb - before.ManagedMb) * 1048576 / (tasks - Baseline):N0} bytes of managed heap, {(collected.WorkingSetMb - before.WorkingSetMb) * 1048576 / (tasks - Baseline):N0} of working set"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"live answer after all closed: {closed.Bytes:N0} bytes, {closed.Open} open, {closed.Stuck} stuck"));
        }
        finally
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("(host shutdown timed out)");
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
