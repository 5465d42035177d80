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
using LifelineRealtime.Grains.Platforms;

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

    [Id(2)] public Dictionary<string, LiveTask> LiveTasks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Workers seen in this scope, with their display names.</summary>
    [Id(3)] public Dictionary<string, string?> Workers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sequences below the watermark applied late (records set aside and applied after a fix); each once.</summary>
    [Id(4)] public HashSet<long> Reapplied { get; set; } = [];
}

/// <summary>An open task as the live views need it.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.LiveTask")]
public sealed record LiveTask(
    [property: Id(0)] TaskLiveStatus Status,
    [property: Id(1)] long SinceMs,
    [property: Id(2)] long? CreatedMs,
    [property: Id(3)] string? TaskQueueSid,
    [property: Id(4)] string SupportType);

/// <summary>
/// The statistics of one scope: thin over <see cref="ScopeStatistics"/>. Applies the changes the
/// dispatcher routes to it (skipping any at or below its watermark) and answers reads. State is written
/// by the dispatcher's flush and at deactivation; closed days are compacted and days past retention
/// dropped at each write.
/// </summary>
public sealed class StatsGrain(
    [PersistentState("stats", OrleansNames.StateStorage)] IPersistentState<StatsGrainState> state,
    PlatformCatalog platforms,
    TimeProvider time) : Grain, IStatsGrain
{
    private StatsKey _key;
    private PlatformSettings _settings = null!;
    private ScopeStatistics _statistics = null!;
    private bool _dirty;

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
                _statistics.Apply(new MeasureSample(_key.Scope, (Measure)s.Measure, s.SupportType, s.TimeMs, s.Value), s.Count);
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
                var status = (TaskLiveStatus)t.Status;
                if (status is TaskLiveStatus.Completed or TaskLiveStatus.Canceled)
                {
                    state.State.LiveTasks.Remove(t.TaskSid);
                }
                else
                {
                    state.State.LiveTasks[t.TaskSid] = new LiveTask(status, t.SinceMs, t.CreatedMs, t.TaskQueueSid, t.SupportType);
                }

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

    public Task<LiveSnapshot> GetLiveAsync()
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        int pending = 0, reserved = 0, assigned = 0, wrapping = 0;
        var waiting = new Dictionary<(string? Queue, string Type), (int Count, long LongestMs)>();
        var stuck = ImmutableArray.CreateBuilder<StuckTask>();
        foreach (var (sid, task) in state.State.LiveTasks)
        {
            switch (task.Status)
            {
                case TaskLiveStatus.Pending: pending++; break;
                case TaskLiveStatus.Reserved: reserved++; break;
                case TaskLiveStatus.Assigned: assigned++; break;
                case TaskLiveStatus.Wrapping: wrapping++; break;
            }

            var live = new TaskLiveState(sid, task.Status, task.SinceMs, task.CreatedMs, task.TaskQueueSid, task.SupportType);
            if (live.WaitAgeMs(nowMs) is { } age)
            {
                var key = (task.TaskQueueSid, task.SupportType);
                var current = waiting.GetValueOrDefault(key);
                waiting[key] = (current.Count + 1, Math.Max(current.LongestMs, age));
            }

            if (live.IsStuck(_settings, nowMs))
            {
                stuck.Add(new StuckTask(sid, StatusName(task.Status), (nowMs - task.SinceMs) / 1000.0, task.TaskQueueSid, task.SupportType));
            }
        }

        var workers = _statistics.OpenActivities
            .GroupBy(o => o.Activity, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ActivityHeadcount(g.Key, g.Count(), [.. g
                .OrderBy(o => o.WorkerSid, StringComparer.Ordinal)
                .Select(o => new WorkerInActivity(o.WorkerSid, state.State.Workers.GetValueOrDefault(o.WorkerSid), o.Team, Math.Max(0, nowMs - o.StartMs) / 1000.0))]))
            .ToImmutableArray();

        var snapshot = new LiveSnapshot(
            _key.PlatformId,
            StatsKey.KindName(_key.Kind),
            _key.Id,
            now,
            new LiveTaskCounts(pending, reserved, assigned, wrapping),
            [.. waiting
                .OrderBy(w => w.Key.Queue, StringComparer.Ordinal).ThenBy(w => w.Key.Type, StringComparer.Ordinal)
                .Select(w => new WaitingTasks(w.Key.Queue, w.Key.Type, w.Value.Count, w.Value.LongestMs / 1000.0, SupportTypes.IsUrgent(w.Key.Type)))],
            workers,
            [.. stuck.OrderByDescending(s => s.SecondsInStatus)]);
        return Task.FromResult(snapshot);
    }

    public Task<StatsPushState> GetPushStateAsync()
    {
        var urgent = ImmutableArray.CreateBuilder<UrgentWait>();
        foreach (var (sid, task) in state.State.LiveTasks)
        {
            if (task.Status is TaskLiveStatus.Pending or TaskLiveStatus.Reserved && task.CreatedMs is { } created && SupportTypes.IsUrgent(task.SupportType))
            {
                urgent.Add(new UrgentWait(sid, task.TaskQueueSid, task.SupportType, created));
            }
        }

        return Task.FromResult(new StatsPushState(_epoch, _version, urgent.ToImmutable()));
    }

    public Task<ImmutableArray<string>> GetWorkersAsync() => Task.FromResult(state.State.Workers.Keys.Order(StringComparer.Ordinal).ToImmutableArray());

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

    private static string StatusName(TaskLiveStatus status) => status switch
    {
        TaskLiveStatus.Pending => "pending",
        TaskLiveStatus.Reserved => "reserved",
        TaskLiveStatus.Assigned => "assigned",
        TaskLiveStatus.Wrapping => "wrapping",
        TaskLiveStatus.Completed => "completed",
        _ => "canceled",
    };
}
