using System.Net;
using System.Text;

namespace LifelineRealtime.Simulator;

/// <summary>Writes and reads <c>application/x-www-form-urlencoded</c> bodies the way Twilio does
/// (space as <c>+</c>, upper-case percent escapes, fields in the order given).</summary>
public static class FormBody
{
    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var builder = new StringBuilder(1024);
        foreach (var (name, value) in fields)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(WebUtility.UrlEncode(name)).Append('=').Append(WebUtility.UrlEncode(value));
        }

        return builder.ToString();
    }

    /// <summary>Decoded name/value pairs in body order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Decode(string form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            fields.Add(new(WebUtility.UrlDecode(name), WebUtility.UrlDecode(value)));
        }

        return fields;
    }

    /// <summary>Decoded fields by name (TaskRouter never repeats a name).</summary>
    public static IReadOnlyDictionary<string, string> DecodeToDictionary(string form) =>
        Decode(form).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
}
