using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using LifelineRealtime.Host.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>
/// Bearer tokens for the tests' hosts, signed with the key <see cref="TestPlatforms.Settings"/> configures
/// (<c>Lifeline:Auth:SigningKey</c>, HS256), in the shape an organisation's OIDC provider issues them.
/// </summary>
internal static class TestTokens
{
    public const string Issuer = "https://login.lifeline.test/";
    public const string Audience = "lifeline-realtime";

    /// <summary>32 bytes, base64: the configured key.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("lifeline-tests-hs256-signing-key"));

    /// <summary>An admin: every platform, every read, admin actions.</summary>
    public static string Admin { get; } = Issue([Roles.Admin]);

    /// <summary>A token with these roles, platforms and teams, or any forgery a test needs (expired, other issuer, audience or key).</summary>
    public static string Issue(
        IEnumerable<string> roles,
        IEnumerable<string>? platforms = null,
        IEnumerable<string>? teams = null,
        DateTime? expires = null,
        string issuer = Issuer,
        string audience = Audience,
        byte[]? key = null,
        string subject = "test-user")
    {
        var claims = new Dictionary<string, object>
        {
            ["roles"] = roles.ToArray(),
            ["platforms"] = (platforms ?? []).ToArray(),
            ["teams"] = (teams ?? []).ToArray(),
        };
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("name", subject)]),
            Claims = claims,
            IssuedAt = expiry < now ? expiry.AddHours(-1) : now,
            NotBefore = expiry < now ? expiry.AddHours(-1) : now,
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with admin claims: must be refused.</summary>
    public static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return Part("""{"alg":"none","typ":"JWT"}""") + "." +
            Part($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","exp":{{exp}},"sub":"forger","roles":["{{Roles.Admin}}"]}""") + ".";
    }

    public static void Authorize(HttpClient client, string? token = null) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Admin);
}
