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

    // A null sign-in is a refusal.
    private readonly ExpiringCache<string, FlexSignIn?> _entries = new(time, MaxEntries, StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The cache key of a token: hex SHA-256 of its UTF-8 bytes.</summary>
    public static string KeyOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>True when the key is remembered and not yet expired: <paramref name="signIn"/> is its sign-in, or null for a refusal.</summary>
    public bool TryGet(string key, out FlexSignIn? signIn) => _entries.TryGet(key, out signIn);

    /// <summary>Remembers a sign-in until its expiration or <paramref name="cap"/> from now, whichever is sooner.</summary>
    public void Remember(string key, FlexSignIn signIn, TimeSpan cap)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var limit = _entries.Now + cap;
        _entries.Put(key, signIn, signIn.Expiration < limit ? signIn.Expiration : limit);
    }

    /// <summary>Remembers that every account refused the token, for <paramref name="duration"/> (zero: not at all).</summary>
    public void RememberRefusal(string key, TimeSpan duration) => _entries.Put(key, null, _entries.Now + duration);
}
