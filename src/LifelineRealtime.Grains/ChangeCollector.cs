using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Grains;

/// <summary>Gathers the stats changes of one grain call, grouped by the scope they belong to.</summary>
internal sealed class ChangeCollector
{
    private readonly Dictionary<ScopeKey, Builder> _scopes = [];

    public void Add(long sequence, ImmutableArray<SampleDelta> deltas)
    {
        foreach (var delta in deltas)
        {
            var s = delta.Sample;
            For(s.Scope).Samples.Add(new SampleChange(sequence, s.Measure, s.SupportType, s.TimeMs, s.Value, delta.Count));
        }
    }

    /// <summary>A worker's timeline delta goes to the worker, its team and the platform.</summary>
    public void Add(long sequence, string platformId, TimelineDelta delta, string? workerName)
    {
        foreach (var change in delta.Intervals)
        {
            var i = change.Interval;
            var item = new IntervalChange(sequence, i.WorkerSid, i.Team, i.Activity, i.StartMs, i.EndMs, change.Count);
            foreach (var scope in ScopesOf(platformId, i.WorkerSid, i.Team))
            {
                For(scope).Intervals.Add(item);
            }
        }

        if (delta.RemovedOpen is { } removed)
        {
            var item = new OpenActivityChange(sequence, removed.WorkerSid, removed.Team, removed.Activity, removed.StartMs, true, workerName);
            foreach (var scope in ScopesOf(platformId, removed.WorkerSid, removed.Team))
            {
                For(scope).Open.Add(item);
            }
        }

        if (delta.AddedOpen is { } added)
        {
            var item = new OpenActivityChange(sequence, added.WorkerSid, added.Team, added.Activity, added.StartMs, false, workerName);
            foreach (var scope in ScopesOf(platformId, added.WorkerSid, added.Team))
            {
                For(scope).Open.Add(item);
            }
        }
    }

    public void Add(ScopeKey scope, TaskLiveChange change) => For(scope).Tasks.Add(change);

    /// <summary>An event that named a worker goes to the platform, whose live registry raises the flags that need workers.</summary>
    public void Add(string platformId, long sequence, WorkerSighting sighting) =>
        For(ScopeKey.Platform(platformId)).Workers.Add(new WorkerLiveChange(sequence, sighting.WorkerSid, sighting.TimeMs, sighting.OfferedTaskQueueSid));

    public ImmutableArray<ScopedStatsBatch> Build()
    {
        var result = ImmutableArray.CreateBuilder<ScopedStatsBatch>(_scopes.Count);
        foreach (var (scope, builder) in _scopes)
        {
            result.Add(new ScopedStatsBatch(scope.Kind, scope.Id, new StatsBatch(
                [.. builder.Samples], [.. builder.Intervals], [.. builder.Open], [.. builder.Tasks])
            {
                Workers = [.. builder.Workers],
            }));
        }

        return result.MoveToImmutable();
    }

    private static ScopeKey[] ScopesOf(string platformId, string workerSid, string team) =>
        [ScopeKey.Worker(workerSid), ScopeKey.Team(team), ScopeKey.Platform(platformId)];

    private Builder For(ScopeKey scope)
    {
        if (!_scopes.TryGetValue(scope, out var builder))
        {
            builder = new Builder();
            _scopes.Add(scope, builder);
        }

        return builder;
    }

    private sealed class Builder
    {
        public List<SampleChange> Samples { get; } = [];

        public List<IntervalChange> Intervals { get; } = [];

        public List<OpenActivityChange> Open { get; } = [];

        public List<TaskLiveChange> Tasks { get; } = [];

        public List<WorkerLiveChange> Workers { get; } = [];
    }
}
