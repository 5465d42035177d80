using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;
using Orleans.Concurrency;

namespace LifelineRealtime.Abstractions.Grains;

/// <summary>One TaskRouter worker (key: platform and worker Sid): its activity timeline.</summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    Task<EntityApplyResult> ApplyAsync(ImmutableArray<JournalInput> inputs);

    /// <inheritdoc cref="ITaskGrain.ForgetAsync"/>
    Task ForgetAsync(long sequence);

    Task FlushAsync();

    /// <summary>The worker's activities in a window (validated by the caller, which also checks
    /// <c>WorkerTimeline.Holds</c>): in time order, the current one running to now.</summary>
    [ReadOnly]
    Task<WorkerTimelineSnapshot> GetTimelineAsync(string window);
}
