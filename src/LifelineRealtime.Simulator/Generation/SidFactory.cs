using System.Security.Cryptography;
using System.Text;

namespace LifelineRealtime.Simulator.Generation;

/// <summary>
/// Well-formed, deterministic Twilio Sids: two upper-case letters and 32 lower-case hex digits taken
/// from SHA-256 of a namespace and a key, so they look random but repeat exactly for the same inputs.
/// </summary>
internal sealed class SidFactory(string ns)
{
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public string Create(string prefix, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ns}/{prefix}/{key}"));
        return prefix + Convert.ToHexStringLower(hash, 0, 16);
    }

    /// <summary>The next Sid in the prefix's sequence.</summary>
    public string Next(string prefix)
    {
        var n = _counters.GetValueOrDefault(prefix);
        _counters[prefix] = n + 1;
        return Create(prefix, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
