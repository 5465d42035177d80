using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// Browser sign-in at the organisation's OIDC provider (design §8): the authorization code flow with PKCE,
/// ending in the cookie session the pages and the hub use. On when <c>Lifeline:Auth:Authority</c> and
/// <c>Lifeline:Auth:ClientId</c> are both set; without a client id the host stays bearer-only. Only
/// <see cref="SignInPath"/> ever redirects to the provider: an API call without a session still answers 401.
/// </summary>
/// <remarks>
/// Cookies. The provider sends the browser back with a cross-site top-level GET
/// (<c>response_mode=query</c>), so the handler's correlation and nonce cookies are <c>SameSite=Lax</c>:
/// Lax cookies ride on exactly that navigation, and unlike <c>SameSite=None</c> they need no
/// <c>Secure</c> flag to be accepted, which keeps a loopback provider over http usable in tests and on a
/// workstation. <c>form_post</c> would need <c>None</c>, and so <c>Secure</c>, on every cookie of the flow.
/// Every cookie of the flow is <c>Secure</c> unless the host runs in Development or the provider itself is
/// on loopback (a local setup with no TLS anywhere).
/// </remarks>
public static partial class BrowserSignIn
{
    /// <summary>The scheme of the OIDC handler; the session it signs into is the cookie scheme.</summary>
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary><c>GET /signin?returnUrl=/local/path</c>: sends the browser to the provider.</summary>
    public const string SignInPath = "/signin";

    /// <summary>Where the provider sends the browser back with the code; answered by the handler itself.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Where the provider sends the browser back after its own sign-out; answered by the handler itself.</summary>
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary><c>POST /signout</c>: ends the session (a cookie write, so guarded against other sites).</summary>
    public const string SignOutPath = "/signout";

    /// <summary>
    /// Registers the handler's services. Whether the scheme exists is decided when the host starts, from the
    /// bound <see cref="AuthOptions"/>: a handler registered without a provider would fail every request.
    /// </summary>
    public static IServiceCollection AddBrowserSignIn(this IServiceCollection services, bool development)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddTransient<OpenIdConnectHandler>();
        services.AddOptions<AuthenticationOptions>().Configure<IOptions<AuthOptions>>((authentication, auth) =>
        {
            if (auth.Value.HasBrowserSignIn)
            {
                authentication.AddScheme(Scheme, s =>
                {
                    s.HandlerType = typeof(OpenIdConnectHandler);
                    s.DisplayName = "Organisation sign-in";
                });
            }
        });
        services.AddOptions<OpenIdConnectOptions>(Scheme)
            .Configure<IOptions<AuthOptions>>((oidc, auth) => Configure(oidc, auth.Value, development))
            .Validate(oidc =>
            {
                oidc.Validate(Scheme);
                return true;
            });

        // The session cookie itself is registered by AccessExtensions; over a loopback provider it may travel over http.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<IOptions<AuthOptions>>((cookie, auth) =>
            {
                if (auth.Value.HasBrowserSignIn)
                {
                    cookie.Cookie.SecurePolicy = SecurePolicy(auth.Value, development);
                }
            });
        return services;
    }

    public static IEndpointRouteBuilder MapBrowserSignIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(SignInPath, SignIn).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(SignOutPath, SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>A path on this host (<c>/x</c>), not another site (<c>//evil.example</c>, <c>/\evil.example</c>, <c>https://…</c>).</summary>
    public static bool IsLocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    private static IResult SignIn(string? returnUrl, IOptions<AuthOptions> auth)
    {
        if (!auth.Value.HasBrowserSignIn)
        {
            return Results.Problem(
                title: "Browser sign-in is not configured",
                detail: "Set Lifeline:Auth:Authority and Lifeline:Auth:ClientId to sign browsers in at the organisation's OIDC provider.",
                statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Challenge(new AuthenticationProperties { RedirectUri = IsLocalPath(returnUrl) ? returnUrl : "/" }, [Scheme]);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IOptions<AuthOptions> auth, IOptionsMonitor<OpenIdConnectOptions> oidc)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (auth.Value.HasBrowserSignIn && await EndSessionEndpointAsync(oidc.Get(Scheme), context.RequestAborted) is not null)
        {
            // The provider's session too, or the next sign-in would pass through without a question.
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Scheme]);
        }

        return Results.Redirect("/");
    }

    private static async Task<string?> EndSessionEndpointAsync(OpenIdConnectOptions oidc, CancellationToken cancellationToken)
    {
        var configuration = oidc.Configuration ?? (oidc.ConfigurationManager is { } manager ? await manager.GetConfigurationAsync(cancellationToken) : null);
        return configuration?.EndSessionEndpoint is { Length: > 0 } endpoint ? endpoint : null;
    }

    private static void Configure(OpenIdConnectOptions oidc, AuthOptions auth, bool development)
    {
        if (!auth.HasBrowserSignIn)
        {
            return;
        }

        oidc.Authority = auth.Authority;
        oidc.RequireHttpsMetadata = !IsLoopback(auth.Authority);
        oidc.ClientId = auth.ClientId;
        oidc.ClientSecret = string.IsNullOrWhiteSpace(auth.ClientSecret) ? null : auth.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        oidc.Scope.Add("openid");
        oidc.Scope.Add("profile");

        // The session carries the claims it needs, not the provider's tokens (a smaller cookie, nothing to leak).
        oidc.SaveTokens = false;
        oidc.MapInboundClaims = false;

        // Roles, platforms and teams come in the id_token (Entra ID app roles do); a userinfo call adds nothing.
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.CallbackPath = CallbackPath;
        oidc.SignedOutCallbackPath = SignedOutCallbackPath;
        oidc.SignedOutRedirectUri = "/";
        oidc.TokenValidationParameters.NameClaimType = "name";
        oidc.TokenValidationParameters.RoleClaimType = auth.RolesClaim;
        oidc.TokenValidationParameters.ClockSkew = auth.ClockSkew;

        var secure = SecurePolicy(auth, development);
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = secure;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = secure;

        oidc.Events = new OpenIdConnectEvents
        {
            OnTokenValidated = context =>
            {
                if (context.Principal?.Identity is ClaimsIdentity identity)
                {
                    foreach (var type in (string[])[auth.RolesClaim, auth.PlatformsClaim, auth.TeamsClaim])
                    {
                        SplitJsonArrays(identity, type);
                    }

                    var subject = identity.FindFirst("sub")?.Value ?? "(no sub)";
                    var logger = Logger(context.HttpContext);
                    Log.SignedIn(logger, subject);
                }

                return Task.CompletedTask;
            },
            OnTicketReceived = async context =>
            {
                await context.HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, context.Principal!, context.Properties);
                await context.HttpContext.RequestServices.GetRequiredService<Audit.AuditTrail>()
                    .RecordAsync(context.Principal, Storage.Access.AuditActions.SignIn, null, "ok", "OIDC browser sign-in");
                context.HandleResponse();
                await WriteContinuePageAsync(context.Response, IsLocalPath(context.ReturnUri) ? context.ReturnUri! : "/");
            },
            OnRemoteFailure = async context =>
            {
                // A failed or forged callback answers a problem, not the handler's exception page.
                var reason = context.Failure?.Message ?? "unknown";
                var logger = Logger(context.HttpContext);
                Log.SignInFailed(logger, reason);
                await context.HttpContext.RequestServices.GetRequiredService<Audit.AuditTrail>()
                    .RecordAsync(Audit.AuditTrail.Anonymous, Storage.Access.AuditActions.SignIn, null, "failed", "OIDC browser sign-in: " + reason);
                context.HandleResponse();
                await Results.Problem(
                    title: "Sign-in failed",
                    detail: "The organisation's sign-in did not complete. Start again from /signin.",
                    statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context.HttpContext);
            },
        };
    }

    /// <summary>
    /// The callback's answer once the session is set: a page that moves on to <paramref name="returnUrl"/>
    /// itself. The browser arrives at the callback from the provider's page, a navigation another site started,
    /// and a redirect would stay that navigation, so the SameSite=Strict session cookie just set would not go
    /// with it: the first page would answer 401. A navigation this page starts is this site's own.
    /// </summary>
    private static Task WriteContinuePageAsync(HttpResponse response, string returnUrl)
    {
        var url = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(returnUrl);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(
            $"""<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}"><title>Signed in</title></head><body><p>Signed in. <a href="{url}">Continue</a></p></body></html>""");
    }

    /// <summary>
    /// A provider that puts a JSON array in one string claim (<c>"[\"ciss\",\"digi\"]"</c>) instead of a JSON
    /// array claim: one claim per element, as <see cref="Grant"/> reads them.
    /// </summary>
    internal static void SplitJsonArrays(ClaimsIdentity identity, string type)
    {
        foreach (var claim in identity.FindAll(type).Where(c => c.Value.StartsWith('[')).ToList())
        {
            string[]? values;
            try
            {
                values = JsonSerializer.Deserialize<string[]>(claim.Value);
            }
            catch (JsonException)
            {
                continue;
            }

            identity.RemoveClaim(claim);
            foreach (var value in values ?? [])
            {
                identity.AddClaim(new Claim(type, value, ClaimValueTypes.String, claim.Issuer, claim.OriginalIssuer));
            }
        }
    }

    private static CookieSecurePolicy SecurePolicy(AuthOptions auth, bool development) =>
        development || IsLoopback(auth.Authority) ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrowserSignIn));

    private static bool IsLoopback(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;

    private static partial class Log
    {
        [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Browser signed in at the OIDC provider as subject {Subject}")]
        public static partial void SignedIn(ILogger logger, string subject);

        [LoggerMessage(EventId = 8202, Level = LogLevel.Warning, Message = "Browser sign-in failed: {Reason}")]
        public static partial void SignInFailed(ILogger logger, string reason);
    }
}
