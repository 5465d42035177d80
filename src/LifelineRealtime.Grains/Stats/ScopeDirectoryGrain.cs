using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Grains.Stats;

[GenerateSerializer, Alias("lifeline.ScopeDirectoryState")]
public sealed class ScopeDirectoryState
{
    [Id(0)] public HashSet<string> Queues { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public HashSet<string> Teams { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public HashSet<string> Workers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The scopes of one platform. Writes only on the dispatcher's flush (and at deactivation), so a round
/// that names only known scopes costs no I/O; after a crash the journal replay from the checkpoint adds
/// anything the last flush missed.
/// </summary>
public sealed class ScopeDirectoryGrain(
    [PersistentState("scopes", OrleansNames.StateStorage)] IPersistentState<ScopeDirectoryState> state) : Grain, IScopeDirectoryGrain
{
    private bool _dirty;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task AddAsync(ImmutableArray<ScopeEntry> scopes)
    {
        foreach (var scope in scopes)
        {
            if (SetOf(scope.Kind) is { } set && set.Add(scope.Id))
            {
                _dirty = true;
            }
        }

        return Task.CompletedTask;
    }

    public Task<ScopeDirectory> GetAsync() => Task.FromResult(new ScopeDirectory(
        [.. state.State.Queues.Order(StringComparer.Ordinal)],
        [.. state.State.Teams.Order(StringComparer.Ordinal)],
        [.. state.State.Workers.Order(StringComparer.Ordinal)]));

    public Task<bool> ContainsAsync(ScopeEntry scope) => Task.FromResult(SetOf(scope.Kind)?.Contains(scope.Id) ?? false);

    public async Task FlushAsync()
    {
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
    }

    private HashSet<string>? SetOf(ScopeKind kind) => kind switch
    {
        ScopeKind.Queue => state.State.Queues,
        ScopeKind.Team => state.State.Teams,
        ScopeKind.Worker => state.State.Workers,
        _ => null,
    };
}
