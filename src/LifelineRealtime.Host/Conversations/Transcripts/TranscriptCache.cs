namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>
/// Recent transcript reads, in memory only, by platform and conversation Sid, each for a fixed time on the
/// host's <see cref="TimeProvider"/>: several people opening one conversation cost Twilio one read. Only
/// <see cref="TranscriptStatus.Found"/> and <see cref="TranscriptStatus.NotFound"/> are kept; an unavailable read
/// is always asked again.
/// </summary>
public sealed class TranscriptCache(TimeProvider time)
{
    /// <summary>Beyond this many entries the expired ones go, and if none had, all do: memory stays bounded.</summary>
    public const int MaxEntries = 500;

    private readonly ExpiringCache<(string PlatformId, string ConversationSid), TranscriptRead> _entries = new(time, MaxEntries);

    public int Count => _entries.Count;

    public bool TryGet(string platformId, string conversationSid, out TranscriptRead read) => _entries.TryGet((platformId, conversationSid), out read);

    /// <summary>Keeps <paramref name="read"/> for <paramref name="duration"/> (zero: not at all); an unavailable read never.</summary>
    public void Remember(string platformId, TranscriptRead read, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Status == TranscriptStatus.Unavailable || duration <= TimeSpan.Zero)
        {
            return;
        }

        _entries.Put((platformId, read.ConversationSid), read, _entries.Now + duration);
    }
}
