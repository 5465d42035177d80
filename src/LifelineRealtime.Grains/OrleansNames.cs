namespace LifelineRealtime.Grains;

/// <summary>Names shared by the grains and the silo configuration.</summary>
public static class OrleansNames
{
    /// <summary>The grain storage provider every stateful grain uses.</summary>
    public const string StateStorage = "lifeline-state";
}
