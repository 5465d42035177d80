using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Grains.Workers;

/// <summary>What a worker grain persists: its recent activity events as received, and its display name.</summary>
[GenerateSerializer, Alias("lifeline.WorkerGrainState")]
public sealed class WorkerGrainState
{
    [Id(0)] public List<JournalInput> Inputs { get; set; } = [];

    [Id(1)] public string? Name { get; set; }
}

/// <summary>
/// One worker's activity timeline (logged status), thin over <see cref="WorkerTimeline"/>, with the same
/// replay rule as <see cref="Tasks.TaskGrain"/>. Events older than <see cref="RetainedMs"/> are pruned at
/// flush: their intervals stay booked in the statistics; only the raw events are let go.
/// </summary>
public sealed partial class WorkerGrain(
    [PersistentState("worker", OrleansNames.StateStorage)] IPersistentState<WorkerGrainState> state,
    PlatformCatalog platforms,
    TimeProvider time,
    ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    /// <summary>Two days: far beyond any redelivery or replay window.</summary>
    internal const long RetainedMs = WorkerTimeline.RetainedMs;

    // Journal sequence → event time of every input held: replays are recognised by sequence, and pruning
    // reads times here instead of parsing every stored payload again at each flush.
    private readonly Dictionary<long, long> _eventTimes = [];
    private EntityKey _key;
    private WorkerTimeline _timeline = null!;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = EntityKey.Parse(this.GetPrimaryKeyString());
        Rebuild();
        return Task.CompletedTask;
    }

    /// <summary>The timeline from exactly the inputs held: at activation, and after an input failed to apply.</summary>
    private void Rebuild()
    {
        _eventTimes.Clear();
        _timeline = new WorkerTimeline(_key.Sid, platforms.Get(_key.PlatformId));
        foreach (var input in state.State.Inputs)
        {
            if (JournalInputs.EventOf(input) is { } e)
            {
                _timeline.Apply(e, input.Sequence);
                _eventTimes[input.Sequence] = e.TimestampMs;
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task<EntityApplyResult> ApplyAsync(ImmutableArray<JournalInput> inputs)
    {
        try
        {
            return Task.FromResult(Apply(inputs));
        }
        catch (Exception e)
        {
            // As in the task grain: drop the half-applied input and let the dispatcher set the record aside.
            Log.ApplyFailed(logger, _key.Sid, e.GetType().Name);
            Rebuild();
            throw;
        }
    }

    private EntityApplyResult Apply(ImmutableArray<JournalInput> inputs)
    {
        var changes = new ChangeCollector();
        foreach (var input in inputs)
        {
            if (JournalInputs.EventOf(input) is not WorkerEvent e)
            {
                Log.UnparsableInput(logger, input.Sequence);
                continue;
            }

            if (NameOf(e) is { } name && name != state.State.Name)
            {
                state.State.Name = name;
                _dirty = true;
            }

            var known = _eventTimes.ContainsKey(input.Sequence);
            var before = _timeline.Contribution;
            if (_timeline.Apply(e, input.Sequence))
            {
                state.State.Inputs.Add(input);
                _dirty = true;
            }

            _eventTimes[input.Sequence] = e.TimestampMs;
            var delta = known
                ? TimelineContribution.Diff(_timeline.ContributionThrough(input.Sequence - 1), _timeline.ContributionThrough(input.Sequence))
                : TimelineContribution.Diff(before, _timeline.Contribution);
            if (!delta.IsEmpty)
            {
                changes.Add(input.Sequence, _key.PlatformId, delta, state.State.Name);
            }

            // Every worker event is a sign of the worker (the platform's live registry keeps the latest).
            if (e.SightingOf() is { } sighting)
            {
                changes.Add(_key.PlatformId, input.Sequence, sighting);
            }
        }

        return new EntityApplyResult(changes.Build(), []);
    }

    public Task ForgetAsync(long sequence)
    {
        if (state.State.Inputs.RemoveAll(input => input.Sequence == sequence) > 0)
        {
            Rebuild();
            _dirty = true;
        }

        return Task.CompletedTask;
    }

    public Task<WorkerTimelineSnapshot> GetTimelineAsync(string window)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var resolved = MetricWindow.Parse(window).Resolve(platforms.Get(_key.PlatformId), nowMs);
        var segments = _timeline.Segments(resolved.StartMs, resolved.EndMs, nowMs);
        return Task.FromResult(new WorkerTimelineSnapshot(
            _key.PlatformId,
            _key.Sid,
            state.State.Name,
            resolved.ToInfo(),
            DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
            [.. segments.Select(TimelineSegmentInfo.From)]));
    }

    public async Task FlushAsync()
    {
        PruneOldEvents(time.GetUtcNow().ToUnixTimeMilliseconds() - RetainedMs);
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
    }

    /// <summary>Drops events older than the cutoff from the timeline and from the persisted inputs,
    /// keeping the latest event (it carries the current activity).</summary>
    private void PruneOldEvents(long cutoffMs)
    {
        if (state.State.Inputs.Count < 2 || _eventTimes.Count == 0 || _eventTimes.Values.Min() >= cutoffMs)
        {
            return;
        }

        var latest = state.State.Inputs.MaxBy(TimeOf)!;
        _timeline.Prune(cutoffMs);
        state.State.Inputs = [.. state.State.Inputs.Where(input => TimeOf(input) >= cutoffMs || ReferenceEquals(input, latest))];
        foreach (var sequence in _eventTimes.Where(p => p.Value < cutoffMs).Select(p => p.Key).ToList())
        {
            if (sequence != latest.Sequence)
            {
                _eventTimes.Remove(sequence);
            }
        }

        _dirty = true;
    }

    private long TimeOf(JournalInput input) => _eventTimes.GetValueOrDefault(input.Sequence, long.MaxValue);

    /// <summary>The ISS's display name: Flex's <c>full_name</c> attribute, else the worker's friendly name.</summary>
    private static string? NameOf(WorkerEvent e) => e.Worker.Attributes.GetString("full_name") ?? e.Worker.Name;

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Journal record {Sequence} is not a worker event and was skipped")]
        public static partial void UnparsableInput(ILogger logger, long sequence);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Worker {WorkerSid} could not apply an input ({Error}); its timeline was rebuilt from the inputs it holds")]
        public static partial void ApplyFailed(ILogger logger, string workerSid, string error);
    }
}
