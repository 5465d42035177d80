using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using Orleans.Concurrency;

namespace LifelineRealtime.Abstractions.Grains;

/// <summary>
/// The queues, teams and workers one platform has seen (key: the platform id). A stats grain that never
/// received a change has no state, so the read API asks here whether a scope id exists before answering.
/// Fed by the journal dispatcher with the scopes of each round and flushed with its checkpoint.
/// </summary>
public interface IScopeDirectoryGrain : IGrainWithStringKey
{
    Task AddAsync(ImmutableArray<ScopeEntry> scopes);

    [ReadOnly]
    Task<ScopeDirectory> GetAsync();

    [ReadOnly]
    Task<bool> ContainsAsync(ScopeEntry scope);

    Task FlushAsync();
}
