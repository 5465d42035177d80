namespace LifelineRealtime.Domain.Metrics;

/// <summary>A statistics scope: the platform (id = platform id), a queue (TaskQueueSid), a team (name) or a worker (WorkerSid).</summary>
public readonly record struct ScopeKey(ScopeKind Kind, string Id) : IComparable<ScopeKey>
{
    public static ScopeKey Platform(string platformId) => new(ScopeKind.Platform, platformId);

    public static ScopeKey Queue(string taskQueueSid) => new(ScopeKind.Queue, taskQueueSid);

    public static ScopeKey Team(string teamName) => new(ScopeKind.Team, teamName);

    public static ScopeKey Worker(string workerSid) => new(ScopeKind.Worker, workerSid);

    /// <summary>The lower-case name used in URLs and snapshots: <c>platform</c>, <c>queue</c>, <c>team</c>, <c>worker</c>.</summary>
    public string KindName => ScopeKinds.Name(Kind);

    public int CompareTo(ScopeKey other)
    {
        // Compared as integers: Enum.CompareTo(object) would box on this hot path.
        var byKind = ((int)Kind).CompareTo((int)other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Id, other.Id);
    }

    public override string ToString() => $"{KindName}:{Id}";

    public static bool operator <(ScopeKey left, ScopeKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(ScopeKey left, ScopeKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(ScopeKey left, ScopeKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(ScopeKey left, ScopeKey right) => left.CompareTo(right) >= 0;
}
