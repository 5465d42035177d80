using System.Diagnostics;
using System.Globalization;

namespace LifelineRealtime.Bench.Pages;

/// <summary>
/// Host CPU per open wallboard page. The host runs in its own process with the simulator posting signed TaskRouter
/// traffic; each phase is measured over the same interval: (1) no page (the baseline), (2) one kiosk page of
/// <c>/wallboard/{platform}</c>, (3) <see cref="BenchOptions.Pages"/> pages, (4) no page again, for the drift. Page load is navigation → first figure
/// with a value.
/// </summary>
internal static class PagesBench
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SliceLength = TimeSpan.FromSeconds(5);

    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        try
        {
            await RunAsync(options);
            return 0;
        }
        catch (BenchFailure e)
        {
            Console.Error.WriteLine("FAILED: " + e.Message);
            return 1;
        }
    }

    private static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pages {options.Pages} of /wallboard/{options.Platform} (kiosk link, one browser context each, opened {options.OpenParallel} at a time), {options.Phase.TotalSeconds:F0} s per phase, simulator speed {options.Speed}x with {options.Workers} workers and {options.ArrivalsPerHour} arrivals an hour at peak per platform, {Environment.ProcessorCount} cores"));
        if (options.Speed > 1)
        {
            // Ingest refuses event times more than an hour past the host's clock; a faster simulated clock gets there.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  note: at speed {options.Speed}x the simulated clock is an hour ahead of the host's after {3600 / (options.Speed - 1):F0} s, and ingest refuses its events from then on"));
        }

        await using var host = await HostProcess.StartAsync(options);
        Console.WriteLine($"host: pid {host.ProcessId}, {host.Root}, {options.HostDll}");
        var token = await host.IssueKioskTokenAsync(options.Platform);
        var url = new Uri(host.Root, $"/wallboard/{Uri.EscapeDataString(options.Platform)}#kiosk={token}").ToString();
        await using var pages = await WallboardPages.LaunchAsync(options.Chromium);

        // One page opened and closed during the warm-up, so the first measured page does not pay for compiling the
        // kiosk, API, hub and push paths.
        await pages.OpenAsync(1, url, 1, LoadTimeout);
        await pages.CloseAllAsync();
        await Task.Delay(options.WarmUp);
        if (await host.JournalSequenceAsync() == 0)
        {
            throw new BenchFailure($"the simulator posted nothing in {options.WarmUp.TotalSeconds:F0} s of warm-up. The host's last lines:{Environment.NewLine}{host.ConsoleTail}");
        }

        var before = await MeasureAsync("baseline: no page", host, pages, options.Phase);

        var onePageLoad = await pages.OpenAsync(1, url, 1, LoadTimeout);
        await Task.Delay(options.Settle);
        var one = await MeasureAsync("1 page", host, pages, options.Phase);

        var cpuBeforeLoads = host.Cpu;
        var loadsStarted = Stopwatch.GetTimestamp();
        var manyLoads = await pages.OpenAsync(options.Pages - 1, url, options.OpenParallel, LoadTimeout);
        var loadCpu = host.Cpu - cpuBeforeLoads;
        var loadWall = Stopwatch.GetElapsedTime(loadsStarted);
        await Task.Delay(options.Settle);
        var many = await MeasureAsync($"{options.Pages} pages", host, pages, options.Phase);
        if (one.Pushes == 0 || many.Pushes == 0)
        {
            throw new BenchFailure($"the pages received no pushes (1 page: {one.Pushes}, {options.Pages} pages: {many.Pushes}) while the simulator journaled {many.EventsPerSecond:F1} events/s");
        }

        if (many.LivePages < options.Pages)
        {
            throw new BenchFailure($"only {many.LivePages} of {options.Pages} pages were live (connected and subscribed) at the end of their phase");
        }

        // The baseline again with the pages closed: the traffic drifts over a run, and the two baselines show how much.
        await pages.CloseAllAsync();
        await Task.Delay(options.Settle);
        var after = await MeasureAsync("baseline again: pages closed", host, pages, options.Phase);

        Report(options, before, after, one, many, onePageLoad[0], manyLoads, loadCpu, loadWall);
    }

    private static async Task<Phase> MeasureAsync(string name, HostProcess host, WallboardPages pages, TimeSpan length)
    {
        var pushesBefore = await pages.ReadAsync();
        var eventsBefore = await host.JournalSequenceAsync();
        var machineBefore = MachineCpu.BusyMilliseconds();
        var browserBefore = MachineCpu.DescendantsMilliseconds(Environment.ProcessId, host.ProcessId);
        var cpuBefore = host.Cpu;
        var started = Stopwatch.GetTimestamp();

        // Five-second slices, to show how much the host's rate moves within a phase.
        var slices = new List<double>();
        var sliceCpu = cpuBefore;
        var sliceStarted = started;
        while (Stopwatch.GetElapsedTime(started) < length)
        {
            var left = length - Stopwatch.GetElapsedTime(started);
            await Task.Delay(left < SliceLength ? left : SliceLength);
            var nowCpu = host.Cpu;
            var sliceElapsed = Stopwatch.GetElapsedTime(sliceStarted);
            if (sliceElapsed > SliceLength / 2)
            {
                slices.Add((nowCpu - sliceCpu).TotalMilliseconds / sliceElapsed.TotalSeconds);
            }

            sliceCpu = nowCpu;
            sliceStarted = Stopwatch.GetTimestamp();
        }

        var cpu = host.Cpu - cpuBefore;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var machine = MachineCpu.BusyMilliseconds() - machineBefore;
        var browser = MachineCpu.DescendantsMilliseconds(Environment.ProcessId, host.ProcessId) - browserBefore;
        var workingSet = host.WorkingSetBytes;
        var events = await host.JournalSequenceAsync() - eventsBefore;
        var pushesAfter = await pages.ReadAsync();
        host.EnsureRunning();
        if (events == 0)
        {
            throw new BenchFailure($"{name}: the simulator journaled nothing in {elapsed.TotalSeconds:F0} s. The host's last lines:{Environment.NewLine}{host.ConsoleTail}");
        }

        var phase = new Phase(
            name,
            pages.Count,
            cpu.TotalMilliseconds / elapsed.TotalSeconds,
            slices.Count > 0 ? slices.Min() : double.NaN,
            slices.Count > 0 ? slices.Max() : double.NaN,
            machine is null ? null : machine.Value / elapsed.TotalSeconds,
            browser is null ? null : browser.Value / elapsed.TotalSeconds,
            workingSet,
            events / elapsed.TotalSeconds,
            pushesAfter.Updated - pushesBefore.Updated,
            pushesAfter.LiveChanged - pushesBefore.LiveChanged,
            pushesAfter.Snapshots - pushesBefore.Snapshots,
            pushesAfter.LivePages,
            elapsed,
            pushesAfter.LiveAgesMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: host {phase.HostCpuMsPerSecond:F1} CPU ms/s, {phase.EventsPerSecond:F1} events/s, {phase.Pushes} pushes"));
        return phase;
    }

    private static void Report(BenchOptions options, Phase before, Phase after, Phase one, Phase many, double onePageLoad, IReadOnlyList<double> manyLoads, TimeSpan loadCpu, TimeSpan loadWall)
    {
        var c = CultureInfo.InvariantCulture;
        // The reference is the mean of the baselines before and after the pages.
        var baseline = (before.HostCpuMsPerSecond + after.HostCpuMsPerSecond) / 2;
        var oneExtra = one.HostCpuMsPerSecond - baseline;
        var manyExtraPerPage = (many.HostCpuMsPerSecond - baseline) / many.Pages;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"baseline = mean of the two no-page phases: {baseline:F1} host CPU ms/s"));
        Console.WriteLine();
        Console.WriteLine("| phase | pages | host CPU ms/s | 5 s slices min–max | / baseline | over baseline ms/s | per page ms/s | per page / 1-page | host CPU ms per event | host working set MB | events/s | pushes per page/s | browser CPU ms/s | machine CPU ms/s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var phase in new[] { before, one, many, after })
        {
            var extra = phase.HostCpuMsPerSecond - baseline;
            var paged = phase.Pages > 0;
            var perPage = paged ? (extra / phase.Pages).ToString("F2", c) : "–";
            var ratio = !paged ? "–" : oneExtra > 0 ? (extra / phase.Pages / oneExtra).ToString("F2", c) + "x" : "n/a";
            Console.WriteLine(string.Create(c,
                $"| {phase.Name} | {phase.Pages} | {phase.HostCpuMsPerSecond:F1} | {phase.SliceMin:F0}–{phase.SliceMax:F0} | {phase.HostCpuMsPerSecond / baseline:F2}x | {(paged ? extra.ToString("F1", c) : "–")} | {perPage} | {ratio} | {phase.HostCpuMsPerSecond / phase.EventsPerSecond:F1} | {phase.WorkingSetBytes / 1048576.0:F0} | {phase.EventsPerSecond:F1} | {(paged ? phase.PushesPerPagePerSecond.ToString("F2", c) : "–")} | {Optional(phase.BrowserCpuMsPerSecond)} | {Optional(phase.MachineCpuMsPerSecond)} |"));
        }

        Console.WriteLine();
        var sorted = manyLoads.Order().ToArray();
        Console.WriteLine(string.Create(c,
            $"page load, navigation → first figure with a value: 1 page {onePageLoad:F0} ms; the other {sorted.Length} pages ({options.OpenParallel} at a time) median {Percentile(sorted, 50):F0} ms, max {sorted[^1]:F0} ms"));
        var loadExtra = loadCpu.TotalMilliseconds - baseline * loadWall.TotalSeconds;
        Console.WriteLine(string.Create(c,
            $"host CPU to open {sorted.Length} pages: {loadCpu.TotalMilliseconds:F0} ms over {loadWall.TotalSeconds:F1} s, {loadExtra:F0} ms over the baseline rate = {loadExtra / sorted.Length:F1} ms per page load"));
        Console.WriteLine(string.Create(c,
            $"extra host CPU per page: {oneExtra:F2} ms/s with 1 page, {manyExtraPerPage:F2} ms/s each with {many.Pages} ({(oneExtra > 0 ? (manyExtraPerPage / oneExtra).ToString("F2", c) + "x the 1-page figure" : "1-page figure not above the baseline")}); the baselines differ by {Math.Abs(before.HostCpuMsPerSecond - after.HostCpuMsPerSecond):F1} ms/s"));
        // The host's CPU follows the events it journals, and the simulator's rate drifts (daily rhythm, a busy machine
        // holding its posts back); a line through the two baselines takes that part out.
        if (Math.Abs(before.EventsPerSecond - after.EventsPerSecond) >= 1)
        {
            var perEvent = (before.HostCpuMsPerSecond - after.HostCpuMsPerSecond) / (before.EventsPerSecond - after.EventsPerSecond);
            var idle = before.HostCpuMsPerSecond - perEvent * before.EventsPerSecond;
            double Adjusted(Phase phase) => (phase.HostCpuMsPerSecond - idle - perEvent * phase.EventsPerSecond) / phase.Pages;
            Console.WriteLine(string.Create(c,
                $"event-adjusted (line through the two baselines: {idle:F1} ms/s + {perEvent:F1} ms per event/s): extra host CPU per page {Adjusted(one):F2} ms/s with 1 page, {Adjusted(many):F2} ms/s each with {many.Pages}"));
        }
        else
        {
            Console.WriteLine("event-adjusted: n/a (the two baselines journaled about the same rate, so the per-event cost cannot be told apart)");
        }

        Console.WriteLine(string.Create(c,
            $"pushes per page per second, {many.Pages} pages: {many.Updated / (double)many.Pages / many.Elapsed.TotalSeconds:F2} Updated + {many.LiveChanged / (double)many.Pages / many.Elapsed.TotalSeconds:F2} LiveChanged (1 page: {one.Updated / one.Elapsed.TotalSeconds:F2} + {one.LiveChanged / one.Elapsed.TotalSeconds:F2}); snapshots during the phases {one.Snapshots + many.Snapshots} (resubscriptions)"));
        foreach (var phase in new[] { one, many })
        {
            if (phase.LiveAgesMs.Count > 0)
            {
                var ages = phase.LiveAgesMs.Order().ToArray();
                Console.WriteLine(string.Create(c,
                    $"LiveChanged age on arrival (page clock − asOf), {phase.Name}: p50 {Percentile(ages, 50):F0} ms, p99 {Percentile(ages, 99):F0} ms, max {ages[^1]:F0} ms ({ages.Length} messages)"));
            }
        }

        Console.WriteLine($"pages live (connected and subscribed) at the end of their phase: {many.LivePages}/{many.Pages}");
    }

    private static string Optional(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "–";

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record Phase(
        string Name,
        int Pages,
        double HostCpuMsPerSecond,
        double SliceMin,
        double SliceMax,
        double? MachineCpuMsPerSecond,
        double? BrowserCpuMsPerSecond,
        long WorkingSetBytes,
        double EventsPerSecond,
        long Updated,
        long LiveChanged,
        long Snapshots,
        int LivePages,
        TimeSpan Elapsed,
        IReadOnlyList<double> LiveAgesMs)
    {
        public long Pushes => Updated + LiveChanged;

        public double PushesPerPagePerSecond => Pages == 0 ? 0 : Pushes / (double)Pages / Elapsed.TotalSeconds;
    }
}

/// <summary>
/// CPU time of the machine (<c>/proc/stat</c>), so a phase shows when the cores are full, and of this process's
/// descendants but the host (the Playwright driver and Chromium), so the browser's share is seen apart.
/// </summary>
internal static class MachineCpu
{
    // /proc/stat counts in USER_HZ, 100 a second on Linux.
    private const double MillisecondsPerTick = 10;

    public static double? BusyMilliseconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait (guest time is in user already).
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return busy * MillisecondsPerTick;
    }

    /// <summary>User plus system CPU of every process descended from <paramref name="root"/>, but <paramref name="except"/> and its own.</summary>
    public static double? DescendantsMilliseconds(int root, int except)
    {
        if (!Directory.Exists("/proc/self"))
        {
            return null;
        }

        var parents = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // The command name may hold spaces and parentheses: fields are counted after its last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture),
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // Gone while being read.
            }
        }

        long ticks = 0;
        foreach (var (pid, (_, own)) in parents)
        {
            for (var at = pid; parents.TryGetValue(at, out var entry) && at != except; at = entry.Parent)
            {
                if (entry.Parent == root && pid != root)
                {
                    ticks += own;
                    break;
                }
            }
        }

        return ticks * MillisecondsPerTick;
    }
}
