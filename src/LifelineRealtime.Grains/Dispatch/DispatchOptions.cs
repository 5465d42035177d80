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

    /// <summary>How long the journal must stay quiet before a checkpoint is written ahead of
    /// <see cref="FlushInterval"/>; zero writes it as soon as the dispatcher has caught up.</summary>
    public TimeSpan IdleCheckpointDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before retrying a round that failed (the retry is idempotent).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a record whose application fails is tried, alone, before it is set aside
    /// (<c>lifeline.dispatch.quarantined</c>) and dispatch moves on.</summary>
    public int QuarantineAfterAttempts { get; set; } = 3;
}
