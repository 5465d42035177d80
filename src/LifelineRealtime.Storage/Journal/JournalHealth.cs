namespace LifelineRealtime.Storage.Journal;

/// <summary>Whether the journal can take appends.</summary>
public enum JournalState
{
    /// <summary>Open for writing; the last open or commit succeeded.</summary>
    Writable,

    /// <summary>The last open or commit failed: appends are refused at once until a retry succeeds.</summary>
    Failing,
}

/// <summary>
/// The journal's write state, as of its last attempt. While <see cref="JournalState.Failing"/> the journal
/// retries on its own, with a growing delay, whether or not appends arrive.
/// </summary>
/// <param name="State">Writable or failing.</param>
/// <param name="Since">When the journal entered <paramref name="State"/>.</param>
/// <param name="LastError">The message of the last failure (kept after recovery; null if none yet).</param>
/// <param name="LastErrorAt">When the last failure happened.</param>
/// <param name="FailedAttempts">Opens and commits that failed in a row (0 while writable).</param>
/// <param name="NextAttemptAt">While failing, when the journal next tries to open again.</param>
public sealed record JournalHealth(
    JournalState State,
    DateTimeOffset Since,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int FailedAttempts,
    DateTimeOffset? NextAttemptAt)
{
    public bool IsWritable => State == JournalState.Writable;
}

/// <summary>
/// An append the journal could not commit: nothing of it is durable, so the caller must not acknowledge it
/// (a webhook answers 503 and Twilio retries).
/// </summary>
public sealed class JournalUnavailableException : IOException
{
    public JournalUnavailableException()
        : this("The journal is unavailable.", TimeSpan.FromSeconds(1), null)
    {
    }

    public JournalUnavailableException(string message)
        : this(message, TimeSpan.FromSeconds(1), null)
    {
    }

    public JournalUnavailableException(string message, Exception? innerException)
        : this(message, TimeSpan.FromSeconds(1), innerException)
    {
    }

    public JournalUnavailableException(string message, TimeSpan retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>When the journal next tries to open again; a sensible <c>Retry-After</c>.</summary>
    public TimeSpan RetryAfter { get; }
}
