namespace LifelineRealtime.Domain.Platforms;

/// <summary>The two reserved values for "none": support types themselves are configured per platform.</summary>
public static class SupportTypes
{
    /// <summary>A task no rule could classify: counted and shown, never dropped.</summary>
    public const string Unclassified = "unclassified";

    /// <summary>The team of a worker whose attributes name none.</summary>
    public const string UnassignedTeam = "unassigned";
}
