using System.Globalization;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Grains.Stats;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LifelineRealtime.Grains.Tests;

/// <summary>
/// The open tasks of a scope: the live answer's counts and capped lists against a plain sort of every task, and
/// the memory a set gives back as tasks close.
/// </summary>
public sealed class LiveTaskSetTests
{
    private const long NowMs = 1_795_476_600_000;
    private const int Cap = 50;

    private static readonly PlatformSettings Settings = PlatformSettings.Create(
        PipelineClusterFixture.Platform("digi", "check_in", "imminent", "safety", "support"));

    private static readonly string[] Types = ["check_in", "imminent", "safety", "support", SupportTypes.Unclassified];

    private static string Sid(int n) => "WT" + n.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>
    /// Tasks of every status over 30 queues (and none) and five support types, created up to an hour ago and in
    /// their status up to 20 minutes, some with no known creation; many share an instant, so ties are exercised.
    /// </summary>
    private static Dictionary<string, LiveTask> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var tasks = new Dictionary<string, LiveTask>(StringComparer.Ordinal);
        for (var n = 0; n < count; n++)
        {
            var status = (TaskLiveStatus)random.Next(4);
            var created = random.Next(20) == 0 ? (long?)null : NowMs - (random.Next(3_600) * 1_000L);
            var since = NowMs - (random.Next(1_200) * 1_000L);
            var queue = random.Next(31) == 0 ? null : "WQ" + random.Next(30).ToString("x32", CultureInfo.InvariantCulture);
            tasks[Sid(n)] = new LiveTask(status, since, created, queue, Types[random.Next(Types.Length)]);
        }

        return tasks;
    }

    private static LiveTaskSet Fill(Dictionary<string, LiveTask> tasks)
    {
        var set = new LiveTaskSet();
        foreach (var (sid, task) in tasks.OrderBy(_ => Guid.NewGuid()))
        {
            set[sid] = task;
        }

        return set;
    }

    private static bool IsWaiting(LiveTask t) => t.Status.IsWaiting() && t.CreatedMs is not null;

    private static bool IsStuck(LiveTask t) => Settings.IsStuck(t.Status, NowMs - t.SinceMs);

    [Fact]
    public void Read_ThousandsOfTasks_ListsTheCapLongestWaitingAndOldestStuckFirstWithExactCounts()
    {
        var tasks = Generate(5_000, seed: 1);
        var set = Fill(tasks);

        var view = set.Read(NowMs, Settings, Cap);

        var waiting = tasks.Where(t => IsWaiting(t.Value)).ToList();
        var stuck = tasks.Where(t => IsStuck(t.Value)).ToList();
        var expectedWaiting = waiting.OrderBy(t => t.Value.CreatedMs).ThenBy(t => t.Key, StringComparer.Ordinal).Take(Cap).Select(t => t.Key);
        var expectedStuck = stuck.OrderBy(t => t.Value.SinceMs).ThenBy(t => t.Key, StringComparer.Ordinal).Take(Cap).Select(t => t.Key);
        var groups = waiting.GroupBy(t => (t.Value.TaskQueueSid, t.Value.SupportType))
            .Select(g => (g.Key.TaskQueueSid, g.Key.SupportType, Count: g.Count(), Oldest: g.Min(t => t.Value.CreatedMs!.Value)))
            .OrderBy(g => g.Oldest).ThenBy(g => g.TaskQueueSid, StringComparer.Ordinal).ThenBy(g => g.SupportType, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(Cap, view.LongestWaiting.Length);
        Assert.Equal(expectedWaiting, view.LongestWaiting.Select(t => t.TaskSid));
        Assert.Equal(waiting.Count, view.LongestWaitingTotal);
        Assert.Equal(Cap, view.Stuck.Length);
        Assert.Equal(expectedStuck, view.Stuck.Select(t => t.TaskSid));
        Assert.Equal(stuck.Count, view.StuckTotal);
        Assert.Equal(groups.Take(Cap).Select(g => (g.TaskQueueSid, g.SupportType, g.Count, (NowMs - g.Oldest) / 1000.0)),
            view.Waiting.Select(w => (w.TaskQueueSid, w.SupportType, w.Count, w.LongestWaitSeconds)));
        Assert.Equal(groups.Count, view.WaitingTotal);

        var counts = view.Counts;
        int Count(TaskLiveStatus status) => tasks.Values.Count(t => t.Status == status);
        Assert.Equal(
            (Count(TaskLiveStatus.Pending), Count(TaskLiveStatus.Reserved), Count(TaskLiveStatus.Assigned), Count(TaskLiveStatus.Wrapping)),
            (counts.Pending, counts.Reserved, counts.Assigned, counts.Wrapping));
        Assert.Equal((waiting.Count, stuck.Count), (counts.Waiting, counts.Stuck));
        Assert.Equal(waiting.Count(t => Settings.IsUrgent(t.Value.SupportType)), counts.UrgentWaiting);
        foreach (var type in Types)
        {
            var ofType = tasks.Values.Where(t => t.SupportType == type).ToList();
            var actual = counts.BySupportType[type];
            Assert.Equal(
                (ofType.Count(t => t.Status == TaskLiveStatus.Pending), ofType.Count(t => t.Status == TaskLiveStatus.Assigned), ofType.Count(IsWaiting), ofType.Count(IsStuck)),
                (actual.Pending, actual.Assigned, actual.Waiting, actual.Stuck));
            Assert.Equal((NowMs - ofType.Where(IsWaiting).Min(t => t.CreatedMs!.Value)) / 1000.0, actual.LongestWaitSeconds);
        }
    }

    [Fact]
    public void Read_FewerTasksThanTheCap_ListsThemAll()
    {
        var tasks = Generate(40, seed: 2);

        var view = Fill(tasks).Read(NowMs, Settings, Cap);

        Assert.Equal(tasks.Values.Count(IsWaiting), view.LongestWaiting.Length);
        Assert.Equal(view.LongestWaitingTotal, view.LongestWaiting.Length);
        Assert.Equal(view.StuckTotal, view.Stuck.Length);
    }

    [Fact]
    public void Indexer_TaskChangesStatus_ReplacesItsEntry()
    {
        var set = new LiveTaskSet();
        set[Sid(1)] = new LiveTask(TaskLiveStatus.Pending, NowMs - 60_000, NowMs - 60_000, null, "imminent");

        set[Sid(1)] = new LiveTask(TaskLiveStatus.Assigned, NowMs - 1_000, NowMs - 60_000, null, "imminent");
        var view = set.Read(NowMs, Settings, Cap);

        Assert.Equal(1, set.Count);
        Assert.Equal((0, 1, 0), (view.Counts.Pending, view.Counts.Assigned, view.Counts.Waiting));
        Assert.Empty(view.LongestWaiting);
    }

    [Fact]
    public void Remove_EveryTask_LeavesNothingBehind()
    {
        var tasks = Generate(20_000, seed: 3);
        var set = Fill(tasks);
        var grown = set.Capacity;

        foreach (var sid in tasks.Keys)
        {
            Assert.True(set.Remove(sid));
        }

        var view = set.Read(NowMs, Settings, Cap);
        Assert.True(grown >= 20_000);
        Assert.Equal((0, 0), (set.Count, set.Capacity));
        Assert.Equal((0, 0, 0), (view.LongestWaitingTotal, view.StuckTotal, view.WaitingTotal));
        Assert.False(set.Remove(Sid(1)));
    }

    [Fact]
    public void Remove_MostTasks_ShrinksTheStorageAndKeepsTheRest()
    {
        var tasks = Generate(20_000, seed: 4);
        var set = Fill(tasks);
        var kept = tasks.Keys.Take(100).ToHashSet(StringComparer.Ordinal);

        foreach (var sid in tasks.Keys.Where(s => !kept.Contains(s)))
        {
            set.Remove(sid);
        }

        var left = new List<string>();
        foreach (var task in set)
        {
            left.Add(task.TaskSid);
            Assert.Equal(tasks[task.TaskSid], set[task.TaskSid]);
        }

        Assert.Equal(100, set.Count);
        Assert.InRange(set.Capacity, 100, 400);
        Assert.Equal(kept.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
        Assert.Equal(tasks.Where(t => kept.Contains(t.Key)).Count(t => IsWaiting(t.Value)), set.Read(NowMs, Settings, Cap).LongestWaitingTotal);
    }

    [Fact]
    public void Serializer_RoundTrip_KeepsEveryTaskAndItsNames()
    {
        var tasks = Generate(1_000, seed: 5);
        var state = new StatsGrainState { AppliedThrough = 42, LiveTasks = Fill(tasks) };
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<StatsGrainState>(serializer.SerializeToArray(state))!;

        Assert.Equal(tasks.Count, copy.LiveTasks.Count);
        Assert.All(tasks, t => Assert.Equal(t.Value, copy.LiveTasks[t.Key]));
        Assert.Null(copy.EarlierLiveTasks);
    }

    [Fact]
    public void Serializer_StateWrittenBeforeTheSet_ReadsItsTasksAsEarlierLiveTasks()
    {
        // A state of the earlier shape: its open tasks in the dictionary at field 2, nothing at field 4.
        var tasks = Generate(10, seed: 6);
        var earlier = new StatsGrainState { EarlierLiveTasks = tasks };
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<StatsGrainState>(serializer.SerializeToArray(earlier))!;

        Assert.Equal(tasks, copy.EarlierLiveTasks);
        Assert.Equal(0, copy.LiveTasks.Count);
    }

    private const string Queue = "WQ00000000000000000000000000000001";
    private const string Alex = "WK00000000000000000000000000000a1e";
    private const string Blake = "WK00000000000000000000000000000b1a";

    private sealed class Registry
    {
        public LiveTaskSet Tasks { get; } = new();

        public LiveWorkerSet Workers { get; } = new();

        public Dictionary<string, string> Activities { get; } = [];

        public LiveTaskView Read(long nowMs) => Tasks.Read(nowMs, Settings, Cap, Workers, w => Activities.GetValueOrDefault(w));

        public StuckTask Single(long nowMs) => Assert.Single(Read(nowMs).Stuck);
    }

    [Fact]
    public void Read_PendingWhileAnEligibleWorkerIsAvailable_FiresPastTheThreshold_AndClearsWhenItGoesUnavailable()
    {
        var r = new Registry();
        r.Workers.Apply(Alex, NowMs - 3_600_000, Queue); // offered a task of the queue an hour ago
        r.Workers.Apply(Alex, NowMs - 90_000, null); // switched to Available 90 s ago
        r.Activities[Alex] = "Available";
        r.Tasks[Sid(1)] = new LiveTask(TaskLiveStatus.Pending, NowMs - 120_000, NowMs - 120_000, Queue, "support");

        var atThreshold = r.Read(NowMs - 30_000);
        var stuck = r.Single(NowMs);
        r.Activities[Alex] = "Break";
        var unavailable = r.Read(NowMs);

        Assert.Equal(0, atThreshold.StuckTotal);
        var reason = Assert.Single(stuck.Reasons);
        Assert.Equal(("pending_while_workers_available", 1, 90.0), (reason.Reason, reason.Workers, reason.Seconds));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(NowMs - 90_000), stuck.Since);
        Assert.Equal((0, 0), (unavailable.StuckTotal, unavailable.Counts.Stuck));
    }

    [Fact]
    public void Read_PendingWhileAvailable_AWorkerHoldingATaskOrNotEligibleDoesNotCount_AndAcceptingClearsIt()
    {
        var r = new Registry();
        foreach (var worker in new[] { Alex, Blake })
        {
            r.Workers.Apply(worker, NowMs - 600_000, worker == Alex ? Queue : "WQ00000000000000000000000000000002");
            r.Activities[worker] = "Available";
        }

        r.Tasks[Sid(1)] = new LiveTask(TaskLiveStatus.Pending, NowMs - 300_000, NowMs - 300_000, Queue, "support");
        r.Tasks[Sid(2)] = new LiveTask(TaskLiveStatus.Assigned, NowMs - 100_000, NowMs - 400_000, "WQ00000000000000000000000000000002", "support", Alex);
        var busy = r.Read(NowMs);

        r.Tasks.Remove(Sid(2));
        var free = r.Single(NowMs);

        r.Tasks[Sid(1)] = new LiveTask(TaskLiveStatus.Assigned, NowMs - 1_000, NowMs - 300_000, Queue, "support", Alex);
        r.Workers.Apply(Alex, NowMs - 1_000, null);
        var accepted = r.Read(NowMs);

        Assert.Equal(0, busy.StuckTotal);
        Assert.Equal((Sid(1), 1), (free.TaskSid, free.Reasons.Single().Workers));
        Assert.Equal(0, accepted.StuckTotal);
    }

    [Fact]
    public void Read_AcceptedWithNoWorkerEventSince_FiresPastTheThreshold_AndAWorkerEventOrCompletionClearsIt()
    {
        var r = new Registry();
        var accepted = NowMs - 1_800_000;
        r.Workers.Apply(Alex, accepted, null);
        r.Tasks[Sid(1)] = new LiveTask(TaskLiveStatus.Assigned, accepted, accepted - 20_000, Queue, "imminent", Alex);

        var atThreshold = r.Read(NowMs);
        var stuck = r.Single(NowMs + 1);
        r.Workers.Apply(Alex, NowMs - 10_000, null);
        var heardOf = r.Read(NowMs + 1);
        r.Workers.Apply(Alex, accepted + 5, null); // a late, older event changes nothing
        var late = r.Read(NowMs + 1);
        r.Tasks.Remove(Sid(1));
        var completed = r.Read(NowMs + 10_000_000);

        Assert.Equal(0, atThreshold.StuckTotal);
        Assert.Equal(("assigned", "accepted_without_worker_event", Alex), (stuck.Status, stuck.Reasons.Single().Reason, stuck.WorkerSid));
        Assert.Equal((0, 0, 0), (heardOf.StuckTotal, late.StuckTotal, completed.StuckTotal));
    }

    [Fact]
    public void Read_WithoutWorkers_OnlyInStatusTooLong_AndTheListIsLongestStuckFirst()
    {
        var r = new Registry();
        r.Workers.Apply(Alex, NowMs - 7_200_000, Queue);
        r.Activities[Alex] = "Available";
        r.Tasks[Sid(1)] = new LiveTask(TaskLiveStatus.Pending, NowMs - 700_000, NowMs - 700_000, Queue, "support"); // both reasons, since 700 s
        r.Tasks[Sid(2)] = new LiveTask(TaskLiveStatus.Pending, NowMs - 120_000, NowMs - 120_000, Queue, "support"); // available only, 120 s
        r.Tasks[Sid(3)] = new LiveTask(TaskLiveStatus.Assigned, NowMs - 2_000_000, NowMs - 2_100_000, null, "support", Blake); // silent, 2000 s
        r.Tasks[Sid(4)] = new LiveTask(TaskLiveStatus.Wrapping, NowMs - 1_000_000, NowMs - 3_000_000, null, "support", Blake); // wrapping, 1000 s

        var all = r.Read(NowMs);
        var withoutWorkers = r.Tasks.Read(NowMs, Settings, Cap);

        Assert.Equal([Sid(3), Sid(4), Sid(1), Sid(2)], all.Stuck.Select(t => t.TaskSid));
        Assert.Equal(["in_status_too_long", "pending_while_workers_available"], all.Stuck[2].Reasons.Select(x => x.Reason));
        Assert.Equal(4, all.Counts.Stuck);
        Assert.Equal([Sid(4), Sid(1)], withoutWorkers.Stuck.Select(t => t.TaskSid));
        Assert.All(withoutWorkers.Stuck, t => Assert.Equal("in_status_too_long", Assert.Single(t.Reasons).Reason));
    }

    [Fact]
    public void Read_ThousandsOfTasksWithWorkers_AllocatesTheSameForTenTimesTheTasks()
    {
        long Allocated(int count)
        {
            var r = new Registry();
            for (var w = 0; w < 40; w++)
            {
                var worker = "WK" + w.ToString("x32", CultureInfo.InvariantCulture);
                r.Workers.Apply(worker, NowMs - 600_000, "WQ" + (w % 30).ToString("x32", CultureInfo.InvariantCulture));
                r.Activities[worker] = w % 3 == 0 ? "Available" : "Break";
            }

            foreach (var (sid, task) in Generate(count, seed: 7))
            {
                r.Tasks[sid] = task with { WorkerSid = task.Status == TaskLiveStatus.Pending ? null : "WK" + (sid.GetHashCode(StringComparison.Ordinal) & 63).ToString("x32", CultureInfo.InvariantCulture) };
            }

            r.Read(NowMs);
            var before = GC.GetAllocatedBytesForCurrentThread();
            r.Read(NowMs);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var small = Allocated(2_000);
        var large = Allocated(20_000);

        // What a read allocates is its answer (capped lists) and per-queue and per-type tallies, never per task.
        Assert.InRange(large, 0, small + 16_384);
    }

    [Fact]
    public void Serializer_RoundTrip_KeepsTheWorkerHoldingEachTaskAndTheWorkers()
    {
        var set = new LiveTaskSet();
        set[Sid(1)] = new LiveTask(TaskLiveStatus.Assigned, NowMs - 1_000, NowMs - 5_000, Queue, "support", Alex);
        set[Sid(2)] = new LiveTask(TaskLiveStatus.Pending, NowMs - 1_000, NowMs - 1_000, Queue, "support");
        var workers = new LiveWorkerSet();
        workers.Apply(Alex, NowMs - 9_000, Queue);
        workers.Apply(Blake, NowMs - 8_000, null);
        var state = new StatsGrainState { LiveTasks = set, LiveWorkers = workers };
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<StatsGrainState>(serializer.SerializeToArray(state))!;

        Assert.Equal(set[Sid(1)], copy.LiveTasks[Sid(1)]);
        Assert.Equal(set[Sid(2)], copy.LiveTasks[Sid(2)]);
        Assert.True(copy.LiveTasks.IsHolding(Alex));
        Assert.Equal((NowMs - 9_000, NowMs - 8_000), (copy.LiveWorkers!.LastEventMs(Alex), copy.LiveWorkers.LastEventMs(Blake)));
        Assert.Equal([Alex], copy.LiveWorkers.EligibleFor(Queue));
    }
}
