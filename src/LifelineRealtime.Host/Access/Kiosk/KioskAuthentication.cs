using System.Security.Claims;
using System.Text.Encodings.Web;
using LifelineRealtime.Storage.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access.Kiosk;

/// <summary>
/// A kiosk token presented in the <c>Authorization</c> header (<c>Kiosk llk_…</c> or <c>Bearer llk_…</c>): checked
/// against the issued tokens on every request, so a revoked or expired one fails at once. Never read from a
/// query string (a URL ends up in proxies' logs); a browser exchanges it once for a session instead
/// (<see cref="KioskEndpoints"/>).
/// </summary>
public sealed class KioskAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KioskTokens kiosks)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Kiosk";

    /// <summary>The header's credential when it is a kiosk token, else null.</summary>
    public static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["Kiosk ", "Bearer "])
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && KioskTokens.LooksLikeKioskToken(header[scheme.Length..].Trim()))
            {
                return header[scheme.Length..].Trim();
            }
        }

        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var token = await kiosks.ValidateAsync(presented, Context.RequestAborted);
        return token is null
            ? AuthenticateResult.Fail("kiosk token unknown, revoked or expired")
            : AuthenticateResult.Success(new AuthenticationTicket(Principal(token, SchemeName), SchemeName));
    }

    /// <summary>The principal a kiosk token signs in as: its scope, its label as the name, nothing else.</summary>
    public static ClaimsPrincipal Principal(KioskToken token, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("sub", "kiosk:" + token.Id),
                new Claim("name", token.Label),
                new Claim(KioskScope.IdClaim, token.Id),
                new Claim(KioskScope.PlatformClaim, token.PlatformId),
                new Claim(KioskScope.KindClaim, token.ScopeKind),
                new Claim(KioskScope.ScopeIdClaim, token.ScopeId),
            ],
            authenticationType, "name", "roles"));
    }
}
