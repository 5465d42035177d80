using Microsoft.Extensions.DependencyInjection;
using LifelineRealtime.Grains.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using LifelineRealtime.Testing;

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

public sealed class SqliteGrainStorageBatchTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(TestData.Root, $"grain-storage-{Guid.NewGuid():N}");
    private ServiceProvider _services = null!;

    private string DbPath => Path.Combine(_folder, "grains.db");

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WriteState_ManyGrainsAtOnce_EachReadsBackItsOwnState()
    {
        await using var storage = CreateStorage();
        var ids = Enumerable.Range(0, 300).Select(i => GrainId.Create("probe", $"many-{i}")).ToArray();

        await Task.WhenAll(ids.Select((id, i) => storage.WriteStateAsync("probe", id, new GrainState<ProbeState>(new ProbeState { Value = $"v{i}", Count = i }))));

        for (var i = 0; i < ids.Length; i++)
        {
            var read = new GrainState<ProbeState>(new ProbeState());
            await storage.ReadStateAsync("probe", ids[i], read);
            Assert.Equal($"v{i}", read.State!.Value);
            Assert.Equal(i, read.State!.Count);
            Assert.Equal("1", read.ETag);
        }
    }

    [Fact]
    public async Task WriteState_StaleWriteAmongGoodOnes_FailsOnlyItself()
    {
        await using var storage = CreateStorage();
        var contested = GrainId.Create("probe", "contested");
        var current = new GrainState<ProbeState>(new ProbeState { Value = "a" });
        await storage.WriteStateAsync("probe", contested, current);
        var stale = new GrainState<ProbeState>(new ProbeState { Value = "stale" }) { ETag = current.ETag };
        await storage.WriteStateAsync("probe", contested, current);
        var others = Enumerable.Range(0, 50).Select(i => GrainId.Create("probe", $"other-{i}")).ToArray();

        var good = others.Select(id => storage.WriteStateAsync("probe", id, new GrainState<ProbeState>(new ProbeState { Value = "ok" }))).ToArray();
        var conflict = Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", contested, stale));
        await Task.WhenAll(good);
        await conflict;

        var read = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", contested, read);
        Assert.Equal("a", read.State!.Value);
        Assert.Equal("2", read.ETag);
        foreach (var id in others)
        {
            await storage.ReadStateAsync("probe", id, read);
            Assert.Equal("ok", read.State!.Value);
        }
    }

    [Fact]
    public async Task Start_OnAFileOfTheOlderJsonFormat_DiscardsItsStatesSoTheJournalRebuildsThem()
    {
        await using (var legacy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath}"))
        {
            await legacy.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = legacy.CreateCommand();
            command.CommandText = """
                CREATE TABLE grain_state (service_id TEXT NOT NULL, state_name TEXT NOT NULL, grain_id TEXT NOT NULL,
                    version INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (service_id, state_name, grain_id)) WITHOUT ROWID;
                INSERT INTO grain_state VALUES ('lifeline', 'probe', 'probe/old', 7, CAST('{"Value":"json"}' AS BLOB));
                """;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var storage = CreateStorage();
        var read = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", GrainId.Create("probe", "old"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        await using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath}");
        await check.OpenAsync(TestContext.Current.CancellationToken);
        await using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        Assert.Equal(2L, await version.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private SqliteGrainStorage CreateStorage() => new(
        "test",
        new SqliteGrainStorageOptions { Path = DbPath, GrainStorageSerializer = new OrleansGrainStorageSerializer(_services.GetRequiredService<Orleans.Serialization.Serializer>()) },
        Microsoft.Extensions.Options.Options.Create(new Orleans.Configuration.ClusterOptions { ServiceId = "lifeline", ClusterId = "test" }),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteGrainStorage>.Instance);
}
