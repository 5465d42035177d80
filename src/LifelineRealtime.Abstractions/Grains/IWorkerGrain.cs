using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;

namespace LifelineRealtime.Abstractions.Grains;

/// <summary>One TaskRouter worker (key: platform and worker Sid): its activity timeline.</summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    Task<EntityApplyResult> ApplyAsync(ImmutableArray<JournalInput> inputs);

    /// <inheritdoc cref="ITaskGrain.ForgetAsync"/>
    Task ForgetAsync(long sequence);

    Task FlushAsync();
}
