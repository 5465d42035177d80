using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// <c>Lifeline:Auth:Flex</c>: sign-in with a Flex user token, validated by Twilio with the credentials of the
/// platform whose account issued it (twilio README §8).
/// </summary>
public sealed class FlexTokenOptions
{
    public const string SectionName = AuthOptions.SectionName + ":Flex";

    /// <summary>Unset: on when at least one platform has an AccountSid and AuthToken. <c>false</c> refuses every Flex token.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Twilio's identity service; a region's is <c>https://iam.&lt;region&gt;.twilio.com</c>. Tests point it at a recording.</summary>
    public string ValidationBaseUrl { get; set; } = "https://iam.twilio.com";

    /// <summary>TaskRouter's REST API, where a token's worker (its roles and team attributes) is read.</summary>
    public string TaskRouterBaseUrl { get; set; } = "https://taskrouter.twilio.com";

    /// <summary>How long a validated token is trusted without asking Twilio again; never beyond its <c>expiration</c>.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a token every account called invalid is refused without asking again (zero: always ask). A
    /// token Twilio refused does not become valid, and a plugin retrying a stale token would otherwise cost one
    /// call per configured platform per request.
    /// </summary>
    public TimeSpan InvalidCacheFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call to Twilio may take before sign-in is refused as unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Every failure, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string S = SectionName;
        var failures = new List<string>();
        foreach (var (name, value) in new[] { ("ValidationBaseUrl", ValidationBaseUrl), ("TaskRouterBaseUrl", TaskRouterBaseUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                failures.Add($"{S}:{name} must be an absolute https URL (http only on loopback), got '{value}'.");
            }
        }

        if (CacheFor < TimeSpan.Zero || CacheFor > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:CacheFor must be between 00:00:00 and 01:00:00 (got {CacheFor}).");
        }

        if (InvalidCacheFor < TimeSpan.Zero || InvalidCacheFor > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{S}:InvalidCacheFor must be between 00:00:00 and 00:10:00 (got {InvalidCacheFor}).");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{S}:Timeout must be more than 00:00:00 and at most 00:01:00 (got {Timeout}).");
        }

        return failures;
    }
}

internal sealed class FlexTokenOptionsValidator : IValidateOptions<FlexTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, FlexTokenOptions options)
    {
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
