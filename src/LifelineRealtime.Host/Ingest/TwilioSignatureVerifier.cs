using System.Collections.Concurrent;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Options;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace LifelineRealtime.Host.Ingest;

/// <summary>
/// Verifies <c>X-Twilio-Signature</c> with Twilio's own <see cref="RequestValidator"/> and the platform's
/// auth token: form callbacks over URL + decoded parameters, Event Streams over the URL (carrying
/// <c>bodySHA256</c>) plus the body's hash. RequestValidator already tries the URL with and without the
/// default port and compares in constant time.
/// </summary>
public sealed class TwilioSignatureVerifier
{
    public const string SignatureHeader = "X-Twilio-Signature";

    /// <summary>Sent when a Webhook Rule signs with a shared key and HMAC-SHA256, which we do not support.</summary>
    public const string SignatureSettingsHeader = "X-Twilio-Webhooks-Signature-Settings";

    // A RequestValidator holds one HMAC and one SHA-256 instance and is not thread-safe, so each platform
    // keeps a small pool instead of building the keyed HMAC on every request.
    private readonly ConcurrentDictionary<string, ObjectPool<RequestValidator>> _validators = new(StringComparer.Ordinal);
    private readonly string? _publicBaseUrl;

    public TwilioSignatureVerifier(IOptions<LifelineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.Ingest.PublicBaseUrl;
        _publicBaseUrl = string.IsNullOrEmpty(configured) ? null : configured.TrimEnd('/');
    }

    /// <summary>
    /// The URL Twilio called: the configured public base URL when set; otherwise the request's scheme, host
    /// and path base (already rewritten by the forwarded-headers middleware when the peer is a trusted
    /// proxy), then path and query exactly as received.
    /// </summary>
    public string PublicUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pathAndQuery = request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        if (_publicBaseUrl is not null)
        {
            return _publicBaseUrl + pathAndQuery;
        }

        // RequestValidator (8.2.0) accepts a signature made with the default port when our URL lacks it, but
        // not a signature made without it when our URL has it; so the URL we check never carries the default port.
        var host = request.Host;
        var isDefaultPort = host.Port is int port
            && ((port == 443 && request.Scheme == Uri.UriSchemeHttps) || (port == 80 && request.Scheme == Uri.UriSchemeHttp));
        var authority = isDefaultPort ? new HostString(host.Host).ToUriComponent() : host.ToUriComponent();
        return request.Scheme + "://" + authority + request.PathBase.ToUriComponent() + pathAndQuery;
    }

    public bool VerifyForm(PlatformOptions platform, string url, Dictionary<string, string> fields, string signature)
    {
        var pool = Pool(platform);
        var validator = pool.Get();
        try
        {
            return validator.Validate(url, fields, signature);
        }
        finally
        {
            pool.Return(validator);
        }
    }

    public bool VerifyJson(PlatformOptions platform, string url, string body, string signature)
    {
        // Without bodySHA256 in the URL the body would be unsigned.
        if (!url.Contains("bodySHA256=", StringComparison.Ordinal))
        {
            return false;
        }

        var pool = Pool(platform);
        var validator = pool.Get();
        try
        {
            return validator.Validate(url, body, signature);
        }
        finally
        {
            pool.Return(validator);
        }
    }

    private ObjectPool<RequestValidator> Pool(PlatformOptions platform) =>
        _validators.GetOrAdd(platform.Id, static (_, token) => new DefaultObjectPool<RequestValidator>(new ValidatorPolicy(token)), platform.AuthToken);

    private sealed class ValidatorPolicy(string authToken) : PooledObjectPolicy<RequestValidator>
    {
        public override RequestValidator Create() => new(authToken);

        public override bool Return(RequestValidator obj) => true;
    }
}
