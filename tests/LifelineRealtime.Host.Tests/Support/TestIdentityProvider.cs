using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>The person the provider signs in without asking: what its id_token says about them.</summary>
internal sealed record TestUser(string Subject, string Name, string[] Roles, string[] Platforms, string[] Teams);

/// <summary>What <c>/authorize</c> was asked for (the PKCE challenge among it).</summary>
internal sealed record AuthorizeRequest(string ClientId, string RedirectUri, string ResponseType, string? ResponseMode, string Scope, string? CodeChallenge, string? CodeChallengeMethod, string? Nonce);

/// <summary>One <c>/token</c> request and the provider's verdict: null when it issued tokens, else the refusal.</summary>
internal sealed record TokenRequest(string? Code, string? CodeVerifier, string? Refusal);

/// <summary>
/// A tiny OpenID Connect provider on a real loopback socket: discovery, JWKS (an RSA key made for this
/// instance), <c>/authorize</c> that signs <see cref="User"/> in at once and sends the browser back with a
/// code, <c>/token</c> that redeems the code only for the same client and redirect URI and only with the PKCE
/// verifier whose S256 hash is the challenge <c>/authorize</c> received, and <c>/logout</c>.
/// Its issuer is <c>http://localhost:port</c> while the host under test is reached as <c>127.0.0.1</c>, so
/// a browser sees two sites, as with a real provider.
/// </summary>
internal sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly ConcurrentDictionary<string, (AuthorizeRequest Request, TestUser User)> _codes = new();
    private readonly ConcurrentDictionary<string, string> _pendingApprovals = new();
    private readonly ConcurrentQueue<AuthorizeRequest> _authorizations = new();
    private readonly ConcurrentQueue<TokenRequest> _tokens = new();

    private TestIdentityProvider(WebApplication app, string clientId, TestUser user)
    {
        _app = app;
        ClientId = clientId;
        User = user;
        _key = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) };
    }

    public string ClientId { get; }

    public TestUser User { get; set; }

    /// <summary><c>http://localhost:port</c>: the Authority to configure.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>
    /// When set, <c>/authorize</c> answers a sign-in page whose button posts to <c>/authorize/approve</c>, as a
    /// real provider's login form does: the way back to the host then starts on the provider's own page.
    /// </summary>
    public bool AskFirst { get; set; }

    /// <summary>When set, <c>/authorize</c> keeps a challenge other than the one it received: the client's verifier cannot match.</summary>
    public bool ForgetChallenge { get; set; }

    public IReadOnlyList<AuthorizeRequest> Authorizations => [.. _authorizations];

    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokens];

    public static async Task<TestIdentityProvider> StartAsync(string clientId, TestUser user, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new TestIdentityProvider(app, clientId, user);
        app.MapGet("/.well-known/openid-configuration", provider.Discovery);
        app.MapGet("/jwks", provider.Jwks);
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/authorize/approve", provider.ApproveAsync);
        app.MapPost("/token", provider.TokenAsync);
        app.MapGet("/logout", Logout);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        provider.Issuer = $"http://localhost:{address.Port}";
        return provider;
    }

    /// <summary>The host's settings for browser sign-in at this provider (no signing key: the Authority replaces it).</summary>
    public void Configure(Dictionary<string, string?> settings)
    {
        settings.Remove("Lifeline:Auth:SigningKey");
        settings.Remove("Lifeline:Auth:Issuer");
        settings["Lifeline:Auth:Authority"] = Issuer;
        settings["Lifeline:Auth:Audience"] = TestTokens.Audience;
        settings["Lifeline:Auth:ClientId"] = ClientId;
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = $"{Issuer}/authorize",
        ["token_endpoint"] = $"{Issuer}/token",
        ["jwks_uri"] = $"{Issuer}/jwks",
        ["end_session_endpoint"] = $"{Issuer}/logout",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["scopes_supported"] = new[] { "openid", "profile" },
    });

    private IResult Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = SecurityAlgorithms.RsaSha256,
                    ["kid"] = _key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        string? Q(string name) => request.Query[name].FirstOrDefault();
        var authorize = new AuthorizeRequest(
            Q("client_id") ?? "", Q("redirect_uri") ?? "", Q("response_type") ?? "", Q("response_mode"), Q("scope") ?? "",
            Q("code_challenge"), Q("code_challenge_method"), Q("nonce"));
        _authorizations.Enqueue(authorize);
        if (authorize.ClientId != ClientId || authorize.ResponseType != "code" || authorize.ResponseMode is not (null or "query")
            || !Uri.TryCreate(authorize.RedirectUri, UriKind.Absolute, out _))
        {
            return Results.BadRequest("unknown client, redirect_uri, response_type or response_mode");
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var kept = ForgetChallenge ? authorize with { CodeChallenge = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)) } : authorize;
        _codes[code] = (kept, User);
        var back = $"{authorize.RedirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(Q("state") ?? "")}";
        if (!AskFirst)
        {
            return Results.Redirect(back);
        }

        _pendingApprovals[code] = back;
        var page = $"""
            <!doctype html><title>Test provider</title>
            <form method="post" action="/authorize/approve"><input type="hidden" name="request" value="{code}"><button>Sign in as {User.Name}</button></form>
            """;
        return Results.Content(page, "text/html");
    }

    private async Task<IResult> ApproveAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        return form["request"].FirstOrDefault() is { } code && _pendingApprovals.TryRemove(code, out var back)
            ? Results.Redirect(back)
            : Results.BadRequest("no such sign-in request");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string? F(string name) => form[name].FirstOrDefault();
        var code = F("code");
        var verifier = F("code_verifier");
        string? refusal = null;
        if (F("grant_type") != "authorization_code")
        {
            refusal = "unsupported grant_type";
        }
        else if (code is null || !_codes.TryGetValue(code, out var issued))
        {
            refusal = "unknown or spent code";
        }
        else if (F("client_id") != issued.Request.ClientId || F("redirect_uri") != issued.Request.RedirectUri)
        {
            refusal = "client_id or redirect_uri differs from the authorization request";
        }
        else if (issued.Request.CodeChallengeMethod != "S256" || issued.Request.CodeChallenge is null)
        {
            refusal = "the authorization request carried no S256 code_challenge";
        }
        else if (verifier is null || !FixedEquals(S256(verifier), issued.Request.CodeChallenge))
        {
            refusal = "code_verifier does not match the code_challenge";
        }
        else if (_codes.TryRemove(code, out _))
        {
            _tokens.Enqueue(new TokenRequest(code, verifier, null));
            var accessToken = Token(issued.User, TestTokens.Audience, nonce: null, atHash: null);
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = accessToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["id_token"] = Token(issued.User, issued.Request.ClientId, issued.Request.Nonce, AtHash(accessToken)),
            });
        }
        else
        {
            refusal = "unknown or spent code";
        }

        _tokens.Enqueue(new TokenRequest(code, verifier, refusal));
        return Results.Json(new { error = "invalid_grant", error_description = refusal }, statusCode: StatusCodes.Status400BadRequest);
    }

    private static IResult Logout(HttpRequest request) =>
        request.Query["post_logout_redirect_uri"].FirstOrDefault() is { Length: > 0 } back
            ? Results.Redirect($"{back}?state={Uri.EscapeDataString(request.Query["state"].FirstOrDefault() ?? "")}")
            : Results.Text("signed out");

    private string Token(TestUser user, string audience, string? nonce, string? atHash)
    {
        var claims = new Dictionary<string, object>
        {
            ["roles"] = user.Roles,
            ["platforms"] = user.Platforms,
            ["teams"] = user.Teams,
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        if (atHash is not null)
        {
            claims["at_hash"] = atHash;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", user.Subject), new Claim("name", user.Name)]),
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>RFC 7636 S256: base64url of the SHA-256 of the verifier's ASCII.</summary>
    public static string S256(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>OIDC Core 3.1.3.6: base64url of the left half of the SHA-256 of the access token.</summary>
    private static string AtHash(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
