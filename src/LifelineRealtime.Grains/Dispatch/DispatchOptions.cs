namespace LifelineRealtime.Grains.Dispatch;

/// <summary>Journal-to-grains dispatch settings (<c>Lifeline:Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string SectionName = "Lifeline:Dispatch";

    /// <summary>Journal records read and routed per round.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often touched grains write their state and the checkpoint advances. After a crash,
    /// at most this much journal is replayed (idempotently).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait before retrying a round that failed (the retry is idempotent).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
