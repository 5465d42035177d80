using Microsoft.Extensions.Primitives;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// How a caller presents a Flex user token (the Flex UI's SSO token, design §8): the header
/// <c>Authorization: Flex &lt;token&gt;</c>, or on the hub (<c>/hubs/…</c>), whose browser transports cannot send
/// a header, the query <c>flex_token=</c>.
/// </summary>
public static class FlexTokenDefaults
{
    /// <summary>The authentication scheme, and the word before the token in the <c>Authorization</c> header.</summary>
    public const string Scheme = "Flex";

    /// <summary>The hub's query parameter.</summary>
    public const string QueryName = "flex_token";

    /// <summary>The named <see cref="HttpClient"/> that calls Twilio (token validation and TaskRouter workers).</summary>
    public const string HttpClientName = "lifeline.flex";

    private const string HeaderPrefix = Scheme + " ";

    /// <summary>Whether the request carries a Flex token (it may still be empty or invalid).</summary>
    public static bool IsPresented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Authorization.ToString().StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase)
            || (IsHub(request) && request.Query.ContainsKey(QueryName));
    }

    /// <summary>The presented token, trimmed, or null when none (or an empty one) is presented.</summary>
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return NullIfEmpty(header[HeaderPrefix.Length..]);
        }

        return IsHub(request) && request.Query.TryGetValue(QueryName, out var query) ? NullIfEmpty(query) : null;
    }

    private static bool IsHub(HttpRequest request) => request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal);

    private static string? NullIfEmpty(StringValues value) => value.ToString().Trim() is { Length: > 0 } token ? token : null;
}
