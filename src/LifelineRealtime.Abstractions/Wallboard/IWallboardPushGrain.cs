using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;
using Orleans.Concurrency;

namespace LifelineRealtime.Abstractions.Wallboard;

/// <summary>
/// Receives pushes for the wallboard connections of one silo. One observer per silo (not per connection):
/// the silo fans a push out to its SignalR groups, so a push grain's cost grows with silos, not clients.
/// </summary>
public interface IWallboardObserver : IGrainObserver
{
    /// <summary>New metrics of a scope and window; <c>revision</c> increases with every push of them from one push grain activation.</summary>
    [OneWay]
    Task UpdatedAsync(string scopeKey, string window, long revision, MetricsSnapshot snapshot);

    [OneWay]
    Task LiveChangedAsync(string scopeKey, LiveSnapshot live);

    [OneWay]
    Task AlertAsync(string scopeKey, Alert alert);
}

/// <summary>
/// Batches and throttles the pushes of one stats scope (same key as its <see cref="Grains.IStatsGrain"/>):
/// while some silo subscribes, a one-second timer compares the scope with what was last pushed and sends
/// only what changed. Without subscribers it has no timer and deactivates. Subscriptions are leases: a silo
/// renews its own, and a silo that disappears stops renewing, so its observer expires.
/// </summary>
public interface IWallboardPushGrain : IGrainWithStringKey
{
    /// <summary>Adds (or renews) the silo's subscription to a window and returns what a new subscriber is sent first.</summary>
    Task<WallboardSubscription> SubscribeAsync(IWallboardObserver observer, string window);

    Task UnsubscribeAsync(IWallboardObserver observer, string window);

    /// <summary>Renews the lease of every window the silo still watches in this scope.</summary>
    Task RenewAsync(IWallboardObserver observer, ImmutableArray<string> windows);
}

/// <summary>
/// The first state of a subscription: the window's metrics (with the revision of the last push, so the
/// silo can tell whether a push it already forwarded is newer), the live state and the alerts now raised.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.WallboardSubscription")]
public sealed record WallboardSubscription(
    [property: Id(0)] MetricsSnapshot Metrics,
    [property: Id(1)] long Revision,
    [property: Id(2)] LiveSnapshot Live,
    [property: Id(3)] ImmutableArray<Alert> ActiveAlerts);
