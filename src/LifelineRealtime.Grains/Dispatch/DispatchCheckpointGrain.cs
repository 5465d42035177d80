using LifelineRealtime.Abstractions.Grains;

namespace LifelineRealtime.Grains.Dispatch;

[GenerateSerializer, Alias("lifeline.DispatchCheckpointState")]
public sealed class DispatchCheckpointState
{
    [Id(0)] public long Sequence { get; set; }
}

/// <summary>The journal dispatcher's checkpoint, persisted like any grain state (the SQLite grain storage).</summary>
public sealed class DispatchCheckpointGrain(
    [PersistentState("checkpoint", OrleansNames.StateStorage)] IPersistentState<DispatchCheckpointState> state) : Grain, IDispatchCheckpointGrain
{
    public Task<long> GetAsync() => Task.FromResult(state.State.Sequence);

    public async Task SetAsync(long sequence)
    {
        if (sequence > state.State.Sequence)
        {
            state.State.Sequence = sequence;
            await state.WriteStateAsync();
        }
    }
}
