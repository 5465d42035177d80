using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// Validated Flex tokens (and, briefly, refused ones) by the SHA-256 of the token: the token itself is never
/// kept. An entry lives until the earlier of the token's <c>expiration</c> and the configured cap, on the
/// host's <see cref="TimeProvider"/>. A failure to reach Twilio is never remembered.
/// </summary>
public sealed class FlexTokenCache(TimeProvider time)
{
    /// <summary>Beyond this many entries the expired ones go, and if none had, all do: memory stays bounded whatever is presented.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The cache key of a token: hex SHA-256 of its UTF-8 bytes.</summary>
    public static string KeyOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>True when the key is remembered and not yet expired: <paramref name="signIn"/> is its sign-in, or null for a refusal.</summary>
    public bool TryGet(string key, out FlexSignIn? signIn)
    {
        signIn = null;
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (time.GetUtcNow() >= entry.Until)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            return false;
        }

        signIn = entry.SignIn;
        return true;
    }

    /// <summary>Remembers a sign-in until its expiration or <paramref name="cap"/> from now, whichever is sooner.</summary>
    public void Remember(string key, FlexSignIn signIn, TimeSpan cap)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var now = time.GetUtcNow();
        var until = signIn.Expiration < now + cap ? signIn.Expiration : now + cap;
        Put(key, new Entry(signIn, until), now);
    }

    /// <summary>Remembers that every account refused the token, for <paramref name="duration"/> (zero: not at all).</summary>
    public void RememberRefusal(string key, TimeSpan duration)
    {
        var now = time.GetUtcNow();
        Put(key, new Entry(null, now + duration), now);
    }

    private void Put(string key, Entry entry, DateTimeOffset now)
    {
        if (entry.Until <= now)
        {
            _entries.TryRemove(key, out _);
            return;
        }

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

        _entries[key] = entry;
    }

    private sealed record Entry(FlexSignIn? SignIn, DateTimeOffset Until);
}
