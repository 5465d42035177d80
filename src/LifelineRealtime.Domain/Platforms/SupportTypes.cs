namespace LifelineRealtime.Domain.Platforms;

/// <summary>The support types the crisis line uses, and the two reserved values for "none".</summary>
public static class SupportTypes
{
    public const string CheckIn = "check_in";
    public const string CheckOut = "check_out";
    public const string Debrief = "debrief";
    public const string Imminent = "imminent";
    public const string Safety = "safety";
    public const string Support = "support";
    public const string TechnicalSupport = "technical_support";

    /// <summary>A task no rule could classify: counted and shown, never dropped.</summary>
    public const string Unclassified = "unclassified";

    /// <summary>The team of a worker whose attributes name none.</summary>
    public const string UnassignedTeam = "unassigned";
}
