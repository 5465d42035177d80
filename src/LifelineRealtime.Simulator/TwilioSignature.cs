using System.Security.Cryptography;
using System.Text;

namespace LifelineRealtime.Simulator;

/// <summary>
/// Computes <c>X-Twilio-Signature</c> for a form POST: Base64(HMAC-SHA1(UTF-8 auth token, URL followed
/// by every name and value of the decoded form, names sorted ordinally)). Written here rather than
/// taken from Twilio's library so that the host's verifier, which does use the library, checks it.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formFields)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formFields);
        var data = new StringBuilder(url);
        foreach (var (name, value) in formFields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's webhook signature is defined as HMAC-SHA1; it is not our choice.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    public static string ComputeForForm(string authToken, string url, string form) =>
        Compute(authToken, url, FormBody.Decode(form));
}
