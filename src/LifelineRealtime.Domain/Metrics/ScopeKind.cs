namespace LifelineRealtime.Domain.Metrics;

/// <summary>The four scope kinds a measure is booked to.</summary>
public enum ScopeKind : byte
{
    Platform = 0,
    Queue = 1,
    Team = 2,
    Worker = 3,
}

/// <summary>The one mapping between a <see cref="ScopeKind"/> and its lower-case name in URLs, grain keys, hub calls and snapshots.</summary>
public static class ScopeKinds
{
    /// <summary><c>platform</c>, <c>queue</c>, <c>team</c> or <c>worker</c>.</summary>
    public static string Name(ScopeKind kind) => kind switch
    {
        ScopeKind.Platform => "platform",
        ScopeKind.Queue => "queue",
        ScopeKind.Team => "team",
        ScopeKind.Worker => "worker",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scope kind"),
    };

    /// <summary>The kind a lower-case name stands for; false for anything else (case matters).</summary>
    public static bool TryParse(string? name, out ScopeKind kind)
    {
        ScopeKind? parsed = name switch
        {
            "platform" => ScopeKind.Platform,
            "queue" => ScopeKind.Queue,
            "team" => ScopeKind.Team,
            "worker" => ScopeKind.Worker,
            _ => null,
        };
        kind = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }
}
