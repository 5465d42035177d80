using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Grains.Stats;

/// <summary>
/// What a stats grain persists. <see cref="AppliedThrough"/> is the watermark: every change with a
/// journal sequence at or below it is already in <see cref="Statistics"/>, so a redelivered change is
/// recognised and skipped.
/// </summary>
[GenerateSerializer, Alias("lifeline.StatsGrainState")]
public sealed class StatsGrainState
{
    [Id(0)] public long AppliedThrough { get; set; }

    /// <summary><see cref="ScopeStatistics"/> in its own versioned binary form.</summary>
    [Id(1)] public byte[]? Statistics { get; set; }

    /// <summary>Open tasks as states written before <see cref="LiveTasks"/> held them: read once, at activation, into it.</summary>
    [Id(2)] public Dictionary<string, LiveTask>? EarlierLiveTasks { get; set; }

    /// <summary>The open tasks of the scope (platform and queue scopes).</summary>
    [Id(4)] public LiveTaskSet LiveTasks { get; set; } = new();

    /// <summary>Workers seen in this scope, with their display names.</summary>
    [Id(3)] public Dictionary<string, string?> Workers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sequences below the watermark applied late (records set aside and applied after a fix); each once.</summary>
    [Id(5)] public HashSet<long> Reapplied { get; set; } = [];

    /// <summary>The workers as the stuck flags need them (platform scope; null in states written before, and elsewhere).</summary>
    [Id(6)] public LiveWorkerSet? LiveWorkers { get; set; }
}

/// <summary>An open task as the live views need it.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.LiveTask")]
public sealed record LiveTask(
    [property: Id(0)] TaskLiveStatus Status,
    [property: Id(1)] long SinceMs,
    [property: Id(2)] long? CreatedMs,
    [property: Id(3)] string? TaskQueueSid,
    [property: Id(4)] string SupportType,
    [property: Id(5)] string? WorkerSid = null);

/// <summary>
/// The statistics of one scope: thin over <see cref="ScopeStatistics"/>. Applies the changes the
/// dispatcher routes to it (skipping any at or below its watermark) and answers reads. State is written
/// by the dispatcher's flush and at deactivation; closed days are compacted and days past retention
/// dropped at each write.
/// </summary>
public sealed class StatsGrain(
    [PersistentState("stats", OrleansNames.StateStorage)] IPersistentState<StatsGrainState> state,
    PlatformCatalog platforms,
    IOptions<LiveOptions> live,
    TimeProvider time) : Grain, IStatsGrain
{
    /// <summary>Longest in the activity (earliest start) first, then by worker Sid.</summary>
    private static readonly Comparer<OpenActivity> LongerFirst = Comparer<OpenActivity>.Create(static (a, b) =>
    {
        var c = a.StartMs.CompareTo(b.StartMs);
        return c != 0 ? c : string.CompareOrdinal(a.WorkerSid, b.WorkerSid);
    });

    private static readonly Comparer<OpenActivity> LaterFirst = Comparer<OpenActivity>.Create(static (a, b) => LongerFirst.Compare(b, a));

    private StatsKey _key;
    private PlatformSettings _settings = null!;
    private ScopeStatistics _statistics = null!;
    private bool _dirty;
    private Func<string, string?> _activityOf = null!;

    // Activation-local change detection for wallboard pushes: a new activation is a new epoch.
    private readonly Guid _epoch = Guid.NewGuid();
    private long _version;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = StatsKey.Parse(this.GetPrimaryKeyString());
        _settings = platforms.Get(_key.PlatformId);
        if (state.State.Statistics is { } bytes)
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            _statistics = ScopeStatistics.ReadFrom(reader, _key.Scope, _settings);
        }
        else
        {
            _statistics = new ScopeStatistics(_key.Scope, _settings);
        }

        _activityOf = _statistics.CurrentActivity;

        if (state.State.EarlierLiveTasks is { } earlier)
        {
            foreach (var (sid, task) in earlier)
            {
                state.State.LiveTasks[sid] = task;
            }

            state.State.EarlierLiveTasks = null;
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task ApplyAsync(StatsBatch batch)
    {
        var watermark = state.State.AppliedThrough;
        if (Apply(batch, sequence => sequence > watermark))
        {
            _version++;
        }

        state.State.AppliedThrough = Math.Max(watermark, batch.MaxSequence);
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task ReapplyAsync(StatsBatch batch, long sequence)
    {
        if (state.State.Reapplied.Contains(sequence))
        {
            return Task.CompletedTask;
        }

        Apply(batch, s => s == sequence);
        state.State.Reapplied.Add(sequence);
        _version++;
        _dirty = true;
        return Task.CompletedTask;
    }

    /// <summary>Applies the changes <paramref name="accept"/> takes; true when there was any. Every time is
    /// checked first, so a change that cannot be placed on a local day fails the call with nothing applied.</summary>
    private bool Apply(StatsBatch batch, Func<long, bool> accept)
    {
        EnsurePlaceable(batch, accept);
        var any = false;
        foreach (var s in batch.Samples)
        {
            if (accept(s.Sequence))
            {
                _statistics.Apply(new MeasureSample(_key.Scope, s.Measure, s.SupportType, s.TimeMs, s.Value), s.Count);
                any = true;
            }
        }

        foreach (var i in batch.Intervals)
        {
            if (accept(i.Sequence))
            {
                _statistics.ApplyActivity(new ActivityInterval(i.WorkerSid, i.Team, i.Activity, i.StartMs, i.EndMs), i.Count);
                any = true;
            }
        }

        foreach (var o in batch.OpenActivities)
        {
            if (accept(o.Sequence))
            {
                var open = new OpenActivity(o.WorkerSid, o.Team, o.Activity, o.StartMs);
                _statistics.Apply(o.Removed ? new TimelineDelta([], open, null) : new TimelineDelta([], null, open));
                state.State.Workers[o.WorkerSid] = o.WorkerName ?? state.State.Workers.GetValueOrDefault(o.WorkerSid);
                any = true;
            }
        }

        foreach (var t in batch.Tasks)
        {
            if (accept(t.Sequence))
            {
                var status = t.Status;
                if (status is TaskLiveStatus.Completed or TaskLiveStatus.Canceled)
                {
                    state.State.LiveTasks.Remove(t.TaskSid);
                }
                else
                {
                    state.State.LiveTasks[t.TaskSid] = new LiveTask(status, t.SinceMs, t.CreatedMs, t.TaskQueueSid, t.SupportType, t.WorkerSid);
                }

                any = true;
            }
        }

        foreach (var w in batch.Workers.IsDefault ? [] : batch.Workers)
        {
            if (accept(w.Sequence))
            {
                (state.State.LiveWorkers ??= new LiveWorkerSet()).Apply(w.WorkerSid, w.TimeMs, w.OfferedTaskQueueSid);
                any = true;
            }
        }

        return any;
    }

    private static void EnsurePlaceable(StatsBatch batch, Func<long, bool> accept)
    {
        foreach (var s in batch.Samples)
        {
            if (accept(s.Sequence))
            {
                EventTimeWindow.EnsureComputable(s.TimeMs);
            }
        }

        foreach (var i in batch.Intervals)
        {
            if (accept(i.Sequence))
            {
                EventTimeWindow.EnsureComputable(i.StartMs);
                EventTimeWindow.EnsureComputable(i.EndMs);
            }
        }

        foreach (var o in batch.OpenActivities)
        {
            if (accept(o.Sequence))
            {
                EventTimeWindow.EnsureComputable(o.StartMs);
            }
        }
    }

    public Task<MetricsSnapshot> GetMetricsAsync(string window) => Task.FromResult(_statistics.Snapshot(Resolve(window)));

    public Task<ImmutableArray<MetricsSnapshot>> GetMetricsAsync(ImmutableArray<string> windows) =>
        Task.FromResult(windows.Select(w => _statistics.Snapshot(Resolve(w))).ToImmutableArray());

    public async Task<LoggedStatusSnapshot> GetLoggedStatusAsync(string window)
    {
        var resolved = Resolve(window);
        var own = _statistics.LoggedStatus(resolved);
        if (_key.Kind is not (ScopeKind.Team or ScopeKind.Platform))
        {
            return own.ToSnapshot();
        }

        // Team and platform list their workers, each read from the worker's own statistics.
        var rows = await Task.WhenAll(state.State.Workers.Select(async worker =>
        {
            var grain = GrainFactory.GetGrain<IStatsGrain>(new StatsKey(_key.PlatformId, ScopeKind.Worker, worker.Key).ToGrainKey());
            var status = await grain.GetLoggedStatusAsync(window);
            return new WorkerLoggedStatus(worker.Key, worker.Value, status.Activities, status.LoggedInSeconds);
        }));
        return own.ToSnapshot(rows);
    }

    /// <summary>
    /// The scope now: exact counts of every open task and worker, lists capped at
    /// <see cref="LiveOptions.MaxListed"/>, picked in one pass (<see cref="LiveTaskSet.Read"/>).
    /// </summary>
    public Task<LiveSnapshot> GetLiveAsync()
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var maxListed = live.Value.MaxListed;
        // The platform holds every worker's activity and sightings: its stuck list has every flag.
        var tasks = _key.Kind == ScopeKind.Platform
            ? state.State.LiveTasks.Read(nowMs, _settings, maxListed, state.State.LiveWorkers ?? new LiveWorkerSet(), _activityOf)
            : state.State.LiveTasks.Read(nowMs, _settings, maxListed);
        var snapshot = new LiveSnapshot(
            _key.PlatformId,
            ScopeKinds.Name(_key.Kind),
            _key.Id,
            now,
            tasks.Counts,
            maxListed,
            tasks.Waiting,
            tasks.WaitingTotal,
            tasks.LongestWaiting,
            tasks.LongestWaitingTotal,
            Workers(nowMs, maxListed),
            tasks.Stuck,
            tasks.StuckTotal);
        return Task.FromResult(snapshot);
    }

    public Task<StatsPushState> GetPushStateAsync()
    {
        var urgent = ImmutableArray.CreateBuilder<UrgentWait>();
        foreach (var task in state.State.LiveTasks)
        {
            if (task.Status.IsWaiting() && task.CreatedMs is { } created && _settings.IsUrgent(task.SupportType))
            {
                urgent.Add(new UrgentWait(task.TaskSid, task.TaskQueueSid, task.SupportType, created));
            }
        }

        return Task.FromResult(new StatsPushState(_epoch, _version, urgent.ToImmutable()));
    }

    public Task<(Guid Epoch, long Version)> GetVersionAsync() => Task.FromResult((_epoch, _version));

    /// <summary>Workers per activity (by name), each counted in full and listed longest in the activity first, at most <paramref name="maxListed"/>.</summary>
    private ImmutableArray<ActivityHeadcount> Workers(long nowMs, int maxListed)
    {
        var byActivity = new SortedDictionary<string, (int Count, PriorityQueue<OpenActivity, OpenActivity> Longest)>(StringComparer.Ordinal);
        foreach (var open in _statistics.OpenActivities)
        {
            if (!byActivity.TryGetValue(open.Activity, out var activity))
            {
                activity = (0, new PriorityQueue<OpenActivity, OpenActivity>(LaterFirst));
            }

            activity.Count++;
            if (maxListed > 0 && activity.Longest.Count < maxListed)
            {
                activity.Longest.Enqueue(open, open);
            }
            else if (maxListed > 0 && LongerFirst.Compare(open, activity.Longest.Peek()) < 0)
            {
                activity.Longest.DequeueEnqueue(open, open);
            }

            byActivity[open.Activity] = activity;
        }

        return [.. byActivity.Select(a =>
        {
            var members = a.Value.Longest.UnorderedItems.Select(e => e.Element).ToArray();
            Array.Sort(members, LongerFirst);
            return new ActivityHeadcount(a.Key, a.Value.Count, [.. members.Select(o =>
                new WorkerInActivity(o.WorkerSid, state.State.Workers.GetValueOrDefault(o.WorkerSid), o.Team, Math.Max(0, nowMs - o.StartMs) / 1000.0))]);
        })];
    }

    public async Task FlushAsync()
    {
        if (!_dirty)
        {
            return;
        }

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        _statistics.CompactClosedDays(nowMs);
        _statistics.PruneExpiredDays(nowMs);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            _statistics.WriteTo(writer);
        }

        state.State.Statistics = stream.ToArray();
        await state.WriteStateAsync();
        _dirty = false;
    }

    private ResolvedWindow Resolve(string window)
    {
        if (!MetricWindow.TryParse(window, out var parsed, out var error))
        {
            throw new ArgumentException(error, nameof(window));
        }

        return parsed.Resolve(_settings, time.GetUtcNow().ToUnixTimeMilliseconds());
    }
}
