using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Wallboard;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Host.Tests.Wallboard.WallboardIngest;

namespace LifelineRealtime.Host.Tests.Wallboard;

/// <summary>Subscriptions are leases: the hub side renews them; an observer whose silo is gone lapses.</summary>
public sealed class WallboardLeaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lease_HubSideRenews_SubscriptionOutlivesTheLeaseDuration()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 10_000));
        await using var factory = new LifelineHostFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);
        await board.SubscribeAsync("digi", "platform", "digi", "today", Ct);
        await board.NextOfKindAsync("Snapshot", Ct);

        // Renewal every 30 s of the clock; the lease is 90 s.
        var renewals = factory.Services.GetRequiredService<Host.Wallboard.WallboardSubscriptions>();
        for (var step = 0; step < 4; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await renewals.RenewAllAsync();
        }

        await AppendAndDispatchAsync(factory, [Fields(1, "task.created", T0 + 1, supportType: "support")], Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (updated, _) = await board.NextOfKindAsync("Updated", Ct);

        Assert.Equal(1, updated.Metrics.Totals.Offered);
    }

    [Fact]
    public async Task Lease_NotRenewed_LapsesAndThePushGrainDeactivates()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 10_000));
        await using var factory = new LifelineHostFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        _ = factory.Server;
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var gone = new SiloThatIsGone();
        var reference = grains.CreateObjectReference<IWallboardObserver>(gone);
        await grains.GetGrain<IWallboardPushGrain>("digi/platform/digi").SubscribeAsync(reference, "1h");
        var whileSubscribed = await PushGrainActivationsAsync(grains);

        clock.Advance(TimeSpan.FromSeconds(91));
        var afterLapse = await WaitForActivationsAsync(grains, 0);

        Assert.Equal((1, 0), (whileSubscribed, afterLapse));
        GC.KeepAlive(gone);
    }

    private static async Task<int> PushGrainActivationsAsync(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("WallboardPush", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    /// <summary>Deactivation finishes after the turn that asked for it: look again until it has (bounded).</summary>
    private static async Task<int> WaitForActivationsAsync(IGrainFactory grains, int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int count;
        while ((count = await PushGrainActivationsAsync(grains)) != expected && !timeout.IsCancellationRequested)
        {
            await Task.Yield();
        }

        return count;
    }

    /// <summary>An observer that never renews, as a silo that has disappeared.</summary>
    private sealed class SiloThatIsGone : IWallboardObserver
    {
        public Task UpdatedAsync(string scopeKey, string window, long revision, MetricsSnapshot snapshot) => Task.CompletedTask;

        public Task LiveChangedAsync(string scopeKey, LiveSnapshot live) => Task.CompletedTask;

        public Task AlertAsync(string scopeKey, Alert alert) => Task.CompletedTask;
    }
}
