using System.Collections.Immutable;

namespace LifelineRealtime.Abstractions.Wallboard;

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
