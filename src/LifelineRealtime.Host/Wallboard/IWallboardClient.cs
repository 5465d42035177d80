using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Host.Wallboard;

/// <summary>What a wallboard connection receives (design §7). Method names are the SignalR message names.</summary>
public interface IWallboardClient
{
    /// <summary>The full metrics of a scope and window, first after each <c>Subscribe</c>.</summary>
    Task Snapshot(MetricsSnapshot snapshot);

    /// <summary>The metrics of a subscribed scope and window after they changed; at most once a second.</summary>
    Task Updated(MetricsSnapshot snapshot);

    /// <summary>The live state of a subscribed scope: once on subscribing, then when it changed; at most once a second.</summary>
    Task LiveChanged(LiveSnapshot live);

    /// <summary>An urgent task waiting past its threshold, or no longer waiting after such an alert.</summary>
    Task Alert(Alert alert);
}
