using System.Security.Cryptography;
using System.Text;

namespace LifelineRealtime.Host.Conversations;

/// <summary><c>Lifeline:Conversations</c>: how the conversation list shows crisis supporters to roles that may not see their names.</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Lifeline:Conversations";

    /// <summary>
    /// Base64 of at least 32 bytes: the key of the per-platform pseudonym a data analyst sees instead of a CS name
    /// (HMAC-SHA256 of the platform and the customer's identity). Keep it secret and keep it: a new key gives new
    /// pseudonyms. Not set: analysts see no name and no pseudonym.
    /// </summary>
    public string? PseudonymKey { get; set; }

    /// <summary>Why the options cannot be used, or null.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(PseudonymKey))
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[512];
        return Convert.TryFromBase64String(PseudonymKey, buffer, out var length) && length >= 32
            ? null
            : $"{SectionName}:PseudonymKey must be base64 of at least 32 bytes (and at most 512)";
    }
}

/// <summary>The stable per-platform pseudonym of a crisis supporter: the same person reads the same on every page, export and day.</summary>
public sealed class CustomerPseudonyms(Microsoft.Extensions.Options.IOptions<ConversationOptions> options)
{
    private readonly byte[]? _key = options.Value.PseudonymKey is { Length: > 0 } key ? Convert.FromBase64String(key) : null;

    /// <summary><c>CS-</c> and 12 hex digits, or null when no key is configured or the task names nobody.</summary>
    public string? Of(string platformId, string? identity)
    {
        if (_key is null || string.IsNullOrEmpty(identity))
        {
            return null;
        }

        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(platformId + "\n" + identity));
        return "CS-" + Convert.ToHexStringLower(mac.AsSpan(0, 6));
    }
}
