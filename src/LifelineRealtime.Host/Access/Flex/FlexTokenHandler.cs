using System.Text.Encodings.Web;
using LifelineRealtime.Domain.Platforms;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// Signs in a caller presenting a Flex user token (<see cref="FlexTokenDefaults"/>): from the cache while it
/// is trusted, else as Twilio says (<see cref="FlexTokenValidator"/>). A token that does not validate, has
/// expired or cannot be checked because Twilio is unavailable fails authentication: 401, never a guess.
/// </summary>
internal sealed class FlexTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    FlexTokenCache cache,
    FlexTokenValidator validator,
    PlatformCatalog platforms,
    IOptions<FlexTokenOptions> flexOptions,
    IOptions<AuthOptions> authOptions,
    Audit.AuditTrail audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!FlexTokenDefaults.IsPresented(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var token = FlexTokenDefaults.Read(Request);
        if (token is null)
        {
            return AuthenticateResult.Fail("The Flex token is empty.");
        }

        var flex = flexOptions.Value;
        if (!(flex.Enabled ?? platforms.All.Any(p => FlexTokenValidator.HasCredentials(p.Options))))
        {
            Logger.Disabled();
            return AuthenticateResult.Fail("Flex sign-in is off.");
        }

        var key = FlexTokenCache.KeyOf(token);
        if (cache.TryGet(key, out var remembered))
        {
            return remembered is null ? AuthenticateResult.Fail("The Flex token was refused.") : Success(remembered);
        }

        var outcome = await validator.ValidateAsync(token, Request.RouteValues["platformId"] as string, Context.RequestAborted);
        switch (outcome.Status)
        {
            case FlexValidationStatus.Valid when outcome.SignIn is { } signIn:
                cache.Remember(key, signIn, flex.CacheFor);
                Logger.SignedIn(signIn.PlatformId, signIn.Roles.Length, signIn.Teams.Length, signIn.Expiration);
                var result = Success(signIn);

                // Once per validation (not per cached request): what Twilio vouched for, and until when.
                await audit.RecordAsync(result.Principal, Storage.Access.AuditActions.SignIn, signIn.PlatformId, "ok", $"Flex token, trusted until {signIn.Expiration:O}");
                return result;
            case FlexValidationStatus.Invalid:
                cache.RememberRefusal(key, flex.InvalidCacheFor);
                return AuthenticateResult.Fail("The Flex token is not valid.");
            default:
                return AuthenticateResult.Fail("The Flex token could not be validated: Twilio is unavailable.");
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.Append("WWW-Authenticate", FlexTokenDefaults.Scheme);
        return base.HandleChallengeAsync(properties);
    }

    private AuthenticateResult Success(FlexSignIn signIn) =>
        AuthenticateResult.Success(new AuthenticationTicket(FlexClaims.Principal(signIn, authOptions.Value), FlexTokenDefaults.Scheme));
}
