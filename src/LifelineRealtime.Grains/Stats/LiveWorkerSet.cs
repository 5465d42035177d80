using LifelineRealtime.Domain.Lifecycle;

namespace LifelineRealtime.Grains.Stats;

/// <summary>
/// The workers of a platform as the stuck flags need them: when each was last heard of (any event naming it, see
/// <see cref="WorkerSightings"/>), and the queues each has been offered a task from (what makes it eligible for
/// that queue). Both are maxima and unions over events, so arrival order and duplicates do not matter. A worker's
/// current activity is not kept here: the scope's statistics already hold it.
/// </summary>
/// <remarks>
/// Eligibility is learned, never forgotten: a worker offered a task from a queue once stays eligible for it (the
/// queue's target expression, which decides it in TaskRouter, is not in the events). A worker whose skills change
/// keeps the queues it had. Small: one entry per worker and one per (queue, worker) pair offered.
/// </remarks>
[GenerateSerializer, Alias("lifeline.LiveWorkerSet")]
public sealed class LiveWorkerSet
{
    [Id(0)] private readonly Dictionary<string, long> _lastEventMs = [];
    [Id(1)] private readonly Dictionary<string, HashSet<string>> _eligible = [];

    /// <summary>Workers heard of.</summary>
    public int Count => _lastEventMs.Count;

    /// <summary>Takes one sighting: the worker was heard of at <paramref name="timeMs"/>, offered a task from <paramref name="offeredTaskQueueSid"/> when not null.</summary>
    public void Apply(string workerSid, long timeMs, string? offeredTaskQueueSid)
    {
        ArgumentNullException.ThrowIfNull(workerSid);
        _lastEventMs[workerSid] = _lastEventMs.TryGetValue(workerSid, out var last) ? Math.Max(last, timeMs) : timeMs;
        if (offeredTaskQueueSid is not null)
        {
            if (!_eligible.TryGetValue(offeredTaskQueueSid, out var workers))
            {
                _eligible[offeredTaskQueueSid] = workers = [];
            }

            workers.Add(workerSid);
        }
    }

    public void Apply(WorkerSighting sighting) => Apply(sighting.WorkerSid, sighting.TimeMs, sighting.OfferedTaskQueueSid);

    /// <summary>The time of the latest event naming the worker, or null when none has.</summary>
    public long? LastEventMs(string workerSid) => _lastEventMs.TryGetValue(workerSid, out var last) ? last : null;

    /// <summary>The workers offered a task from the queue at least once.</summary>
    public IReadOnlySet<string> EligibleFor(string taskQueueSid) => _eligible.TryGetValue(taskQueueSid, out var workers) ? workers : Empty;

    private static readonly HashSet<string> Empty = [];
}
