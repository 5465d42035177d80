namespace LifelineRealtime.Abstractions.Keys;

/// <summary>The four read scopes of design §7.</summary>
public enum ScopeKind
{
    Platform = 0,
    Queue = 1,
    Team = 2,
    Worker = 3,
}
