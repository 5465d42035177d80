using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Statistics;

/// <summary>
/// Folds one platform's events (any order, any duplicates) into the statistics of every scope, with the
/// same lifecycle, timeline and statistics code live grains use. It is the reference the grains, crash
/// recovery and reports are checked against. Events are grouped per task and per worker, each
/// contribution is computed once, and its samples are booked.
/// </summary>
public static class OfflineFold
{
    public static FoldResult Run(PlatformSettings settings, IEnumerable<TaskRouterEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var fold = new StreamingFold(settings);
        foreach (var e in events)
        {
            fold.Add(e);
        }

        return fold.Finish();
    }
}

/// <summary>
/// <see cref="OfflineFold"/> one event at a time, for a reader that streams (an export of a day of 100,000 tasks):
/// only the tasks' lifecycles and workers' timelines are held, never the events. <see cref="Finish"/> links chat
/// transfers and books every contribution, once.
/// </summary>
public sealed class StreamingFold(PlatformSettings settings)
{
    private readonly PlatformSettings _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    private readonly Dictionary<string, TaskLifecycle> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerTimeline> _workers = new(StringComparer.Ordinal);
    private FoldResult? _result;

    /// <summary>Events folded so far.</summary>
    public long Events { get; private set; }

    public void Add(TaskRouterEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_result is not null)
        {
            throw new InvalidOperationException("the fold is finished; it takes no more events");
        }

        Events++;
        switch (e)
        {
            case var _ when e.TaskOf() is { Sid: var sid }:
                Task(sid).Apply(e);
                break;
            case WorkerEvent { Type: TaskRouterEventType.WorkerActivityUpdate, Worker.Sid: var workerSid }:
                if (!_workers.TryGetValue(workerSid, out var timeline))
                {
                    timeline = new WorkerTimeline(workerSid, _settings);
                    _workers.Add(workerSid, timeline);
                }

                timeline.Apply(e);
                break;
        }
    }

    /// <summary>The statistics of every scope, with the tasks and workers folded (computed on the first call).</summary>
    public FoldResult Finish()
    {
        if (_result is { } done)
        {
            return done;
        }

        // Chat plugins' transfers: the new task marks the original one (created if we hold none of its events).
        var links = new List<TransferLink>();
        foreach (var lifecycle in _tasks.Values)
        {
            if (lifecycle.OutgoingTransfer is { } link)
            {
                links.Add(link);
            }
        }

        foreach (var link in links)
        {
            Task(link.OriginalTaskSid).ApplyTransfer(link);
        }

        var result = new FoldResult(_settings);
        foreach (var lifecycle in _tasks.Values)
        {
            result.Book(lifecycle.Contribution);
        }

        foreach (var timeline in _workers.Values)
        {
            result.Book(timeline.Contribution);
        }

        result.Tasks = _tasks;
        result.Workers = _workers;
        _result = result;
        return result;
    }

    private TaskLifecycle Task(string sid)
    {
        if (!_tasks.TryGetValue(sid, out var lifecycle))
        {
            lifecycle = new TaskLifecycle(sid, _settings);
            _tasks.Add(sid, lifecycle);
        }

        return lifecycle;
    }
}

/// <summary>The statistics of every scope after a fold (or after applying deltas, for comparison).</summary>
public sealed class FoldResult
{
    private readonly Dictionary<ScopeKey, ScopeStatistics> _scopes = [];

    public FoldResult(PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    public PlatformSettings Settings { get; }

    public IReadOnlyDictionary<ScopeKey, ScopeStatistics> Scopes => _scopes;

    public IReadOnlyDictionary<string, TaskLifecycle> Tasks { get; internal set; } = new Dictionary<string, TaskLifecycle>();

    public IReadOnlyDictionary<string, WorkerTimeline> Workers { get; internal set; } = new Dictionary<string, WorkerTimeline>();

    /// <summary>The statistics of a scope, created empty on first use.</summary>
    public ScopeStatistics Scope(ScopeKey key)
    {
        if (!_scopes.TryGetValue(key, out var statistics))
        {
            statistics = new ScopeStatistics(key, Settings);
            _scopes.Add(key, statistics);
        }

        return statistics;
    }

    /// <summary>Books a whole contribution (+1 each sample). Samples are sorted by scope, so each scope is looked up once.</summary>
    public void Book(Contribution contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        ScopeStatistics? current = null;
        foreach (var sample in contribution.Samples)
        {
            if (current is null || current.Scope != sample.Scope)
            {
                current = Scope(sample.Scope);
            }

            current.Apply(sample, 1);
        }
    }

    /// <summary>Books signed sample deltas (what a live grain emits).</summary>
    public void Book(IEnumerable<SampleDelta> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        foreach (var delta in deltas)
        {
            Scope(delta.Sample.Scope).Apply(delta.Sample, delta.Count);
        }
    }

    /// <summary>Books a worker's whole timeline to its worker, its team(s) and the platform.</summary>
    public void Book(TimelineContribution contribution) => Book(TimelineContribution.Diff(TimelineContribution.Empty, contribution));

    /// <summary>Books a timeline delta to the worker, the team of each interval and the platform.</summary>
    public void Book(TimelineDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var platform = Scope(ScopeKey.Platform(Settings.Id));
        foreach (var change in delta.Intervals)
        {
            Scope(ScopeKey.Worker(change.Interval.WorkerSid)).ApplyActivity(change.Interval, change.Count);
            Scope(ScopeKey.Team(change.Interval.Team)).ApplyActivity(change.Interval, change.Count);
            platform.ApplyActivity(change.Interval, change.Count);
        }

        if (delta.RemovedOpen is null && delta.AddedOpen is null)
        {
            return;
        }

        var openOnly = delta with { Intervals = [] };
        var worker = (delta.AddedOpen ?? delta.RemovedOpen)!.WorkerSid;
        Scope(ScopeKey.Worker(worker)).Apply(openOnly);
        platform.Apply(openOnly);
        if (delta.RemovedOpen is { } removed && delta.AddedOpen is { } added && removed.Team != added.Team)
        {
            Scope(ScopeKey.Team(removed.Team)).Apply(openOnly with { AddedOpen = null });
            Scope(ScopeKey.Team(added.Team)).Apply(openOnly with { RemovedOpen = null });
        }
        else
        {
            Scope(ScopeKey.Team((delta.AddedOpen ?? delta.RemovedOpen)!.Team)).Apply(openOnly);
        }
    }
}
