using LifelineRealtime.Domain.Snapshots;
using Orleans.Serialization.Cloning;

namespace LifelineRealtime.Grains;

/// <summary>
/// Passes the Domain's read models (the records of <c>LifelineRealtime.Domain.Snapshots</c>: immutable
/// records over immutable collections) by reference between activations of one silo. Orleans copies
/// every in-silo argument and result; for these JSON-coded types a copy is a full serialize and
/// parse, which cost more than computing a team's day.
/// </summary>
internal sealed class ReadModelCopier : IGeneralizedCopier
{
    private static readonly string SnapshotsNamespace = typeof(MetricsSnapshot).Namespace!;

    public static bool Handles(Type type) => string.Equals(type.Namespace, SnapshotsNamespace, StringComparison.Ordinal);

    public bool IsSupportedType(Type type) => Handles(type);

    public object? DeepCopy(object? input, CopyContext context) => input;
}
