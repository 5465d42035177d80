using System.Collections.Immutable;
using System.Text.Json.Serialization;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Domain.Snapshots;

/// <summary>A window as reported to readers (design §7): its name, UTC start and end, and the platform time zone.</summary>
public sealed record WindowInfo(string Name, DateTimeOffset Start, DateTimeOffset End, string TimeZone);

/// <summary>
/// The measures and rates of one scope, window and support type (or all of them), in the order design §7
/// lists them. Durations are in seconds with millisecond precision; rates are rounded to 6 decimals and
/// null when their denominator is 0.
/// </summary>
public sealed record MetricValues(
    long Offered,
    long Handled,
    long Abandoned,
    long Reservations,
    long Rejected,
    long TimedOut,
    long Transferred,
    DurationStats WaitSeconds,
    DurationStats AbandonedWaitSeconds,
    DurationStats TalkSeconds,
    DurationStats WrapSeconds,
    DurationStats HandleSeconds,
    long ShortAbandoned,
    long AnsweredInThreshold,
    double? RejectRate,
    double? TimeoutRate,
    double? TransferRate,
    double? AbandonRate,
    double? ServiceLevel)
{
    /// <summary>True when any count or duration is non-zero (decides whether <c>unclassified</c> is shown).</summary>
    [JsonIgnore]
    public bool HasTraffic =>
        Offered != 0 || Handled != 0 || Abandoned != 0 || Reservations != 0 || Rejected != 0 || TimedOut != 0 || Transferred != 0
        || ShortAbandoned != 0 || AnsweredInThreshold != 0 || WaitSeconds.Count != 0 || AbandonedWaitSeconds.Count != 0
        || TalkSeconds.Count != 0 || WrapSeconds.Count != 0 || HandleSeconds.Count != 0;
}

/// <summary>
/// <c>GET {scope}/metrics?window=W</c> (design §7). Every configured support type appears in
/// <see cref="BySupportType"/>; <c>unclassified</c> only when it had traffic.
/// </summary>
public sealed record MetricsSnapshot(
    string Platform,
    string Scope,
    string Id,
    WindowInfo Window,
    MetricValues Totals,
    ImmutableSortedDictionary<string, MetricValues> BySupportType)
{
    public bool Equals(MetricsSnapshot? other) =>
        other is not null
        && Platform == other.Platform && Scope == other.Scope && Id == other.Id
        && Window == other.Window && Totals == other.Totals
        && SnapshotEquality.DictionariesEqual(BySupportType, other.BySupportType);

    public override int GetHashCode() => HashCode.Combine(Platform, Scope, Id, Window, Totals, BySupportType.Count);
}

/// <summary>Seconds in one activity and its share of logged-in time (null for offline activities).</summary>
public sealed record ActivityStats(double Seconds, double? Percent);

/// <summary>One worker's row in a team or platform logged-status snapshot.</summary>
public sealed record WorkerLoggedStatus(string WorkerSid, string? Name, ImmutableSortedDictionary<string, ActivityStats> Activities, double LoggedInSeconds)
{
    public bool Equals(WorkerLoggedStatus? other) =>
        other is not null && WorkerSid == other.WorkerSid && Name == other.Name && LoggedInSeconds.Equals(other.LoggedInSeconds)
        && SnapshotEquality.DictionariesEqual(Activities, other.Activities);

    public override int GetHashCode() => HashCode.Combine(WorkerSid, LoggedInSeconds);
}

/// <summary>
/// <c>GET {scope}/logged-status?window=W</c> (design §7): seconds and percent per activity and the
/// logged-in seconds; team and platform scopes add one row per worker.
/// </summary>
public sealed record LoggedStatusSnapshot(
    ImmutableSortedDictionary<string, ActivityStats> Activities,
    double LoggedInSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableList<WorkerLoggedStatus>? Workers)
{
    public bool Equals(LoggedStatusSnapshot? other) =>
        other is not null && LoggedInSeconds.Equals(other.LoggedInSeconds)
        && SnapshotEquality.DictionariesEqual(Activities, other.Activities)
        && (Workers is null ? other.Workers is null : other.Workers is not null && Workers.SequenceEqual(other.Workers));

    public override int GetHashCode() => HashCode.Combine(LoggedInSeconds, Activities.Count);
}

internal static class SnapshotEquality
{
    public static bool DictionariesEqual<T>(ImmutableSortedDictionary<string, T> a, ImmutableSortedDictionary<string, T> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var otherValue) || !EqualityComparer<T>.Default.Equals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }
}
