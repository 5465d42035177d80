using System.Security.Cryptography;
using System.Text;

namespace LifelineRealtime.Testing;

/// <summary>
/// Signs requests the way Twilio does (../shared/twilio §3.1), so tests and benchmarks can send events the
/// host must accept. Plays Twilio's part only; the host verifies with Twilio's own RequestValidator.
/// </summary>
internal static class TwilioTestSigner
{
    /// <summary>Base64(HMAC-SHA1(token, url + each name and value, names in ordinal order)).</summary>
    public static string Sign(string authToken, string url, IReadOnlyDictionary<string, string>? fields = null)
    {
        var data = new StringBuilder(url);
        if (fields is not null)
        {
            var names = fields.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names)
            {
                data.Append(name).Append(fields[name]);
            }
        }

        // Twilio's webhook signature is HMAC-SHA1 by definition; we have no say in the algorithm.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>The URL Event Streams calls for a JSON body: the sink URL plus <c>bodySHA256</c>.</summary>
    public static string WithBodyHash(string url, byte[] body) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "bodySHA256=" + Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Encodes fields as an <c>application/x-www-form-urlencoded</c> body.</summary>
    public static string FormBody(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
}
