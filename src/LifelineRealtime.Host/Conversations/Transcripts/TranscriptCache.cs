using System.Collections.Concurrent;

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

    private readonly ConcurrentDictionary<(string PlatformId, string ConversationSid), Entry> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(string platformId, string conversationSid, out TranscriptRead read)
    {
        read = null!;
        var key = (platformId, conversationSid);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (time.GetUtcNow() >= entry.Until)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            return false;
        }

        read = entry.Read;
        return true;
    }

    /// <summary>Keeps <paramref name="read"/> for <paramref name="duration"/> (zero: not at all); an unavailable read never.</summary>
    public void Remember(string platformId, TranscriptRead read, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Status == TranscriptStatus.Unavailable || duration <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            foreach (var (k, e) in _entries)
            {
                if (now >= e.Until)
                {
                    _entries.TryRemove(KeyValuePair.Create(k, e));
                }
            }

            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
        }

        _entries[(platformId, read.ConversationSid)] = new Entry(read, now + duration);
    }

    private sealed record Entry(TranscriptRead Read, DateTimeOffset Until);
}
