using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Abstractions.Wallboard;

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
