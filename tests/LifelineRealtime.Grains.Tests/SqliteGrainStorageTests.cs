using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace LifelineRealtime.Grains.Tests;

public interface IProbeStateGrain : IGrainWithStringKey
{
    Task SetAsync(string value, int count);

    Task<ProbeState> GetAsync();

    Task DeactivateAsync();
}

[GenerateSerializer, Alias("test.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public string Value { get; set; } = "";

    [Id(1)] public int Count { get; set; }
}

public sealed class ProbeStateGrain([PersistentState("probe", OrleansNames.StateStorage)] IPersistentState<ProbeState> state) : Grain, IProbeStateGrain
{
    public async Task SetAsync(string value, int count)
    {
        state.State.Value = value;
        state.State.Count = count;
        await state.WriteStateAsync();
    }

    public Task<ProbeState> GetAsync() => Task.FromResult(state.State);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

[Collection(nameof(PipelineCollection))]
public sealed class SqliteGrainStorageTests(PipelineClusterFixture fixture)
{
    [Fact]
    public async Task WriteState_ThenReactivate_ReadsItBack()
    {
        var grain = fixture.Cluster.GrainFactory.GetGrain<IProbeStateGrain>($"reactivate-{Guid.NewGuid():N}");
        await grain.SetAsync("first", 1);
        await grain.SetAsync("second", 2);

        await grain.DeactivateAsync();
        var state = await grain.GetAsync();

        Assert.Equal("second", state.Value);
        Assert.Equal(2, state.Count);
    }

    [Fact]
    public async Task WriteState_WithStaleETag_ThrowsInconsistentState()
    {
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(OrleansNames.StateStorage);
        var grainId = GrainId.Create("probe", $"stale-{Guid.NewGuid():N}");
        var first = new GrainState<ProbeState>(new ProbeState { Value = "a" });
        await storage.WriteStateAsync("probe", grainId, first);
        var stale = new GrainState<ProbeState>(new ProbeState { Value = "b" }) { ETag = first.ETag };
        await storage.WriteStateAsync("probe", grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, stale));
    }

    [Fact]
    public async Task WriteState_TwoFirstWrites_SecondIsAConflict()
    {
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(OrleansNames.StateStorage);
        var grainId = GrainId.Create("probe", $"race-{Guid.NewGuid():N}");
        await storage.WriteStateAsync("probe", grainId, new GrainState<ProbeState>(new ProbeState { Value = "a" }));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("probe", grainId, new GrainState<ProbeState>(new ProbeState { Value = "b" })));
    }

    [Fact]
    public async Task ClearState_RemovesTheRecord()
    {
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(OrleansNames.StateStorage);
        var grainId = GrainId.Create("probe", $"clear-{Guid.NewGuid():N}");
        var state = new GrainState<ProbeState>(new ProbeState { Value = "a", Count = 3 });
        await storage.WriteStateAsync("probe", grainId, state);

        await storage.ClearStateAsync("probe", grainId, state);
        var read = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", grainId, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0, read.State!.Count);
    }
}
