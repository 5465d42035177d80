namespace LifelineRealtime.Host.Access;

/// <summary>The roles of design §8, as they arrive in the roles claim.</summary>
public static class Roles
{
    public const string FullAccess = "wfo.full_access";
    public const string TeamLeader = "wfo.team_leader";
    public const string DataAnalyst = "wfo.data_analyst";
    public const string Admin = "lifeline.admin";

    public static readonly IReadOnlyList<string> All = [FullAccess, TeamLeader, DataAnalyst, Admin];
}
