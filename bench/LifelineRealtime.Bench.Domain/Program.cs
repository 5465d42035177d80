using System.Diagnostics;
using LifelineRealtime.Bench.Domain;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;

// One thread, Release, in-memory: a realistic day of two platforms (about 500,000 events).
var platforms = new[] { Settings("ciss", 1), Settings("digi", 2) };
var days = platforms.Select((settings, i) => (settings, events: DayGenerator.Generate(settings, workers: 150, tasks: 22_000, activityChangesPerWorker: 40, seed: 42 + i))).ToArray();
var total = days.Sum(d => d.events.Count);
Console.WriteLine($"events: {total:N0} ({string.Join(", ", days.Select(d => $"{d.settings.Id} {d.events.Count:N0}"))})");

// Warm-up: one full pass of each, so tiered compilation has produced optimised code before anything is measured.
foreach (var (settings, events) in days)
{
    Baseline(events);
    OfflineFold.Run(settings, events);
}

Thread.Sleep(500);

var baseline = Measure("baseline: group events by task", total, () =>
{
    foreach (var (_, events) in days)
    {
        Baseline(events);
    }
}, repeats: 3);

FoldResult[] folds = [];
var fold = Measure("offline fold (lifecycles + timelines + statistics)", total, () => folds = [.. days.Select(d => OfflineFold.Run(d.settings, d.events))], repeats: 3);

// The fold's phases, to show where its time goes.
var lifecycles = new List<(FoldResult Result, List<LifelineRealtime.Domain.Lifecycle.TaskLifecycle> Tasks)>();
Measure("  phase 1: route events to task lifecycles (dedupe, keep)", total, () =>
{
    foreach (var (settings, events) in days)
    {
        var tasks = new Dictionary<string, LifelineRealtime.Domain.Lifecycle.TaskLifecycle>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var sid = e switch { TaskEvent t => t.Task.Sid, ReservationEvent r => r.Task.Sid, TransferEvent x => x.Task.Sid, _ => null };
            if (sid is null)
            {
                continue;
            }

            if (!tasks.TryGetValue(sid, out var lifecycle))
            {
                tasks[sid] = lifecycle = new LifelineRealtime.Domain.Lifecycle.TaskLifecycle(sid, settings);
            }

            lifecycle.Apply(e);
        }

        lifecycles.Add((new FoldResult(settings), [.. tasks.Values]));
    }
});
var contributions = new List<(FoldResult Result, List<Contribution> Contributions)>();
Measure("  phase 2: compute each task's contribution", total, () =>
{
    foreach (var (result, tasks) in lifecycles)
    {
        contributions.Add((result, tasks.ConvertAll(t => t.Contribution)));
    }
});
Measure("  phase 3: book contributions into scope statistics", total, () =>
{
    foreach (var (result, list) in contributions)
    {
        foreach (var contribution in list)
        {
            result.Book(contribution);
        }
    }
});

Measure("  phase 4: worker timelines, computed and booked", total, () =>
{
    foreach (var (settings, events) in days)
    {
        var result = new FoldResult(settings);
        var timelines = new Dictionary<string, LifelineRealtime.Domain.Lifecycle.WorkerTimeline>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e is WorkerEvent w)
            {
                if (!timelines.TryGetValue(w.Worker.Sid, out var timeline))
                {
                    timelines[w.Worker.Sid] = timeline = new LifelineRealtime.Domain.Lifecycle.WorkerTimeline(w.Worker.Sid, settings);
                }

                timeline.Apply(e);
            }
        }

        foreach (var timeline in timelines.Values)
        {
            result.Book(timeline.Contribution);
        }
    }
});

// Bucket updates alone: every sample of every task, its scope's statistics resolved beforehand.
var work = new List<(ScopeStatistics Statistics, MeasureSample Sample)>();
var fresh = days.Select(d => new FoldResult(d.settings)).ToArray();
for (var p = 0; p < folds.Length; p++)
{
    foreach (var lifecycle in folds[p].Tasks.Values)
    {
        foreach (var sample in lifecycle.Contribution.Samples)
        {
            work.Add((fresh[p].Scope(sample.Scope), sample));
        }
    }
}

var buckets = work.ToArray();
var firstPass = Measure($"bucket updates, first pass ({buckets.Length:N0} samples, arrays grow on first use)", total, () => Apply(buckets, +1));
var steady = Measure("bucket updates, steady state (remove and re-add every sample)", total, () =>
{
    Apply(buckets, -1);
    Apply(buckets, +1);
}, divisor: 2, repeats: 3);

Console.WriteLine();
Console.WriteLine($"fold / baseline time ratio: {fold.Seconds / baseline.Seconds:F2}x");
Console.WriteLine($"bucket updates (steady) / baseline time ratio: {steady.Seconds / baseline.Seconds:F2}x");
Console.WriteLine($"samples per event: {(double)buckets.Length / total:F2}");

static void Apply((ScopeStatistics Statistics, MeasureSample Sample)[] work, int count)
{
    foreach (var (statistics, sample) in work)
    {
        statistics.Apply(sample, count);
    }
}

static Dictionary<string, List<TaskRouterEvent>> Baseline(IEnumerable<TaskRouterEvent> events)
{
    var byKey = new Dictionary<string, List<TaskRouterEvent>>(StringComparer.Ordinal);
    foreach (var e in events)
    {
        var key = e switch
        {
            TaskEvent t => t.Task.Sid,
            ReservationEvent r => r.Task.Sid,
            TransferEvent x => x.Task.Sid,
            WorkerEvent w => w.Worker.Sid,
            _ => e.Sid,
        };
        if (!byKey.TryGetValue(key, out var list))
        {
            byKey[key] = list = [];
        }

        list.Add(e);
    }

    return byKey;
}

// The best of `repeats` runs: the machine is shared, and the fastest run is the one least disturbed.
static (double Seconds, double EventsPerSecond, double BytesPerEvent) Measure(string name, int events, Action action, int divisor = 1, int repeats = 1)
{
    var best = double.MaxValue;
    var bytes = 0.0;
    var pause = TimeSpan.Zero;
    for (var run = 0; run < repeats; run++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var pausedBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        action();
        clock.Stop();
        if (clock.Elapsed.TotalSeconds < best)
        {
            pause = GC.GetTotalPauseDuration() - pausedBefore;
        }

        bytes = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / divisor / events;
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }

    var seconds = best / divisor;
    var rate = events / seconds;
    Console.WriteLine($"{name,-90} {seconds * 1000,9:F1} ms  {rate,14:N0} events/s  {bytes,10:F2} B/event  (GC pauses {pause.TotalMilliseconds,7:F1} ms)");
    return (seconds, rate, bytes);
}

static PlatformSettings Settings(string id, int n) => PlatformSettings.Create(new PlatformOptions
{
    Id = id,
    TimeZone = "Australia/Sydney",
    SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
    SupportTypeRules = [new SupportTypeRuleOptions { Attribute = "supportType" }],
    ServiceLevelSeconds = new() { ["default"] = 60 + n, ["imminent"] = 20 },
    ShortAbandonSeconds = 10,
});
