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
