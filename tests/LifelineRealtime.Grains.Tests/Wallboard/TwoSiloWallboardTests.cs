using System.Collections.Concurrent;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Abstractions.Wallboard;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Grains.Persistence;
using LifelineRealtime.Domain.Platforms;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Grains.Tests.Wallboard;

/// <summary>
/// Two silos in one cluster, each with its own wallboard observer (as each silo's hub side has): a push grain
/// lives on one of them, so at least one observer is reached across silos. Both silos share one fake clock.
/// </summary>
public sealed class TwoSiloWallboardTests : IAsyncLifetime
{
    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new(StringComparer.Ordinal);
    private static readonly DateTimeOffset Now = PipelineClusterFixture.Now;
    private readonly string _folder = Path.Combine(TestData.Root, $"wallboard-{Guid.NewGuid():N}");
    private TestCluster _cluster = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeTimeProvider Clock => Clocks[_folder];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Clocks[_folder] = new FakeTimeProvider(Now);
        var builder = new TestClusterBuilder(2);
        builder.Properties["Folder"] = _folder;
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Clocks.TryRemove(_folder, out _);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Push_ObserverOnEachSilo_BothGetTheUpdateOnce()
    {
        var key = StatsKey.Platform("digi").ToGrainKey();
        var recorders = _cluster.Silos.Select(_ => new Recorder()).ToArray();
        var references = _cluster.Silos
            .Select((silo, i) => ((InProcessSiloHandle)silo).ServiceProvider.GetRequiredService<IGrainFactory>().CreateObjectReference<IWallboardObserver>(recorders[i]))
            .ToArray();
        var push = _cluster.Client.GetGrain<IWallboardPushGrain>(key);
        var first = await Task.WhenAll(references.Select(r => push.SubscribeAsync(r, "1h")));

        var imminent = _cluster.Client.ServiceProvider.GetRequiredService<PlatformCatalog>().Get("digi").SupportTypeIndex("imminent");
        var offered = new SampleChange(1, Measure.Offered, imminent, Now.ToUnixTimeMilliseconds() - 5_000, 1, 1);
        await _cluster.Client.GetGrain<IStatsGrain>(key).ApplyAsync(new StatsBatch([offered], [], [], []));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var updates = await Task.WhenAll(recorders.Select(r => r.Updated.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct)));

        Assert.All(first, f => Assert.Equal((0L, 0L), (f.Metrics.Totals.Offered, f.Revision)));
        Assert.All(updates, u => Assert.Equal((key, "1h", 1L, 1L), (u.Scope, u.Window, u.Revision, u.Snapshot.Totals.Offered)));
        GC.KeepAlive(recorders);
    }

    private sealed class Recorder : IWallboardObserver
    {
        public TaskCompletionSource<(string Scope, string Window, long Revision, MetricsSnapshot Snapshot)> Updated { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task UpdatedAsync(string scopeKey, string window, long revision, MetricsSnapshot snapshot)
        {
            if (!Updated.TrySetResult((scopeKey, window, revision, snapshot)))
            {
                throw new InvalidOperationException("a second update for one change");
            }

            return Task.CompletedTask;
        }

        public Task LiveChangedAsync(string scopeKey, LiveSnapshot live) => Task.CompletedTask;

        public Task AlertAsync(string scopeKey, Alert alert) => Task.CompletedTask;
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.Services.AddLifelineSerialization();
            clientBuilder.Services.AddSingleton(Catalog());
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var folder = siloBuilder.Configuration["Folder"]!;
            siloBuilder.Services.AddSingleton<TimeProvider>(Clocks[folder]);
            siloBuilder.Services.AddSingleton(Catalog());
            siloBuilder.Services.AddLifelineSerialization();
            siloBuilder.AddSqliteGrainStorage(OrleansNames.StateStorage, o => o.Path = Path.Combine(folder, "grains.db"));
        }
    }

    private static PlatformCatalog Catalog() =>
        new([PipelineClusterFixture.Platform("digi", "check_in", "check_out", "debrief", "imminent", "safety", "support")]);
}
