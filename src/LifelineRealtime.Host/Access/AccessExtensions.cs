using System.Security.Claims;
using System.Security.Cryptography;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Access.Flex;
using LifelineRealtime.Host.Access.Kiosk;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// Sign-in and the access policy (design §8) for every surface: bearer JWTs from the organisation's OIDC
/// provider or a configured key, a cookie session for browsers, and the <see cref="AccessPolicy"/> that the
/// API, the hub and the platform list all ask. Every endpoint needs a signed-in caller with a role unless it
/// says otherwise (<see cref="AnonymousPaths"/>), so a route added later cannot be open by mistake.
/// </summary>
public static class AccessExtensions
{
    /// <summary>
    /// Signed in with one of the roles of design §8, or with a kiosk token: the scope reads, the platform list and
    /// the wallboard hub, which then ask the <see cref="AccessPolicy"/> about the scope.
    /// </summary>
    public const string ReaderPolicy = "lifeline.reader";

    /// <summary>Signed in as a person with a role of design §8; no kiosk token. Every endpoint's default.</summary>
    public const string PersonPolicy = "lifeline.person";

    /// <summary>Signed in as <c>lifeline.admin</c>.</summary>
    public const string AdminPolicy = "lifeline.admin";

    /// <summary>Bearer token when one is presented, else the browser's cookie session.</summary>
    public const string Scheme = "Lifeline";

    public const string CookieName = "lifeline.session";

    /// <summary>
    /// The paths that answer without sign-in: the signed webhooks, health and readiness, sign-in itself, and the
    /// page shells that hold no data (<see cref="Pages.PageRoutes.Anonymous"/>: the wallboards, which a kiosk link
    /// opens before it has a session, and the sign-in page).
    /// </summary>
    public static readonly IReadOnlyList<string> AnonymousPaths =
        ["/webhooks/taskrouter/{platformId}", "/webhooks/eventstreams/{platformId}", "/healthz", "/readyz", "/status", LocalSignIn.Path, KioskEndpoints.SessionPath,
         BrowserSignIn.SignInPath, BrowserSignIn.CallbackPath, BrowserSignIn.SignedOutCallbackPath, BrowserSignIn.SignOutPath, .. Pages.PageRoutes.Anonymous];

    /// <summary>
    /// Registers sign-in and the policy. What is configured is read when the host starts, not here, so that
    /// configuration added after this call (a test host's, for one) decides the mode.
    /// </summary>
    public static IHostApplicationBuilder AddLifelineAccess(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.TryAddSingleton<IScopeAccess, AccessPolicy>();
        services.TryAddSingleton<LocalSignIn>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IEventJournal>() is SqliteEventJournal journal
            ? new SqliteAccessStore(journal.Path)
            : throw new InvalidOperationException("Register an IAuditLog and an IKioskTokenStore for this journal."));
        services.TryAddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteAccessStore>());
        services.TryAddSingleton<IKioskTokenStore>(sp => sp.GetRequiredService<SqliteAccessStore>());
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<KioskConnections>();
        services.TryAddSingleton<KioskTokens>();
        services.AddSingleton<IAuthorizationHandler, SignedInHandler>();
        var development = builder.Environment.IsDevelopment();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or cookie session", o => o.ForwardDefaultSelector = context =>
                KioskAuthenticationHandler.Presented(context.Request) is not null ? KioskAuthenticationHandler.SchemeName
                : FlexTokenDefaults.IsPresented(context.Request) ? FlexTokenDefaults.Scheme
                : HasBearer(context.Request) || IsHubWithToken(context.Request) ? JwtBearerDefaults.AuthenticationScheme
                : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;

                // An API answers 401/403; it never redirects to a sign-in page.
                o.Events.OnRedirectToLogin = c => Status(c.Response, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);

                // A kiosk session lasts only as long as its token: revoked or expired, the next request is anonymous.
                o.Events.OnValidatePrincipal = ValidateKioskSessionAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, KioskAuthenticationHandler>(KioskAuthenticationHandler.SchemeName, null)
            .AddJwtBearer()
            .AddFlexTokens();
        services.AddBrowserSignIn(development);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, configured) => ConfigureBearer(jwt, configured.Value));

        services.AddAuthorizationBuilder()
            .AddPolicy(ReaderPolicy, p => p.AddRequirements(new SignedInRequirement(null, AllowKiosk: true)))
            .AddPolicy(PersonPolicy, p => p.AddRequirements(new SignedInRequirement(null, AllowKiosk: false)))
            .AddPolicy(AdminPolicy, p => p.AddRequirements(new SignedInRequirement(Roles.Admin, AllowKiosk: false)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new SignedInRequirement(null, AllowKiosk: false)).Build());
        return builder;
    }

    /// <summary>Authentication, the browser's CSRF guard and authorization, in that order.</summary>
    public static WebApplication UseLifelineAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.Use(RefuseCrossSiteCookieWrites);
        app.UseAuthorization();
        return app;
    }

    private static void ConfigureBearer(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAudience = auth.Audience,
            ClockSkew = auth.ClockSkew,
            RoleClaimType = auth.RolesClaim,
            NameClaimType = "name",
        };
        if (auth.HasAuthority)
        {
            jwt.Authority = auth.Authority;
            jwt.Audience = auth.Audience;
            jwt.RequireHttpsMetadata = !Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority) || !authority.IsLoopback;
        }
        else
        {
            // Without a configured key (the local demo, Open mode) a random one: no presented token validates.
            jwt.TokenValidationParameters.ValidIssuer = auth.HasSigningKey ? auth.Issuer : "urn:lifeline:no-issuer";
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(
                auth.HasSigningKey && auth.KeyBytes() is { Length: >= 32 } key ? key : RandomNumberGenerator.GetBytes(32));
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        // Browsers' WebSocket and server-sent-events transports cannot send a header: the hub reads the query.
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (IsHubWithToken(context.Request))
                {
                    context.Token = context.Request.Query["access_token"];
                }

                return Task.CompletedTask;
            },
        };
    }

    private static async Task ValidateKioskSessionAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal && KioskScope.Of(principal) is { } kiosk
            && !await context.HttpContext.RequestServices.GetRequiredService<KioskTokens>().IsUsableAsync(kiosk.TokenId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static bool IsHubWithToken(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal) && request.Query.ContainsKey("access_token");

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// A state-changing request carried by the cookie session must come from this site's own pages: its
    /// <c>Origin</c> (or, failing that, <c>Sec-Fetch-Site</c>) must say so. Callers presenting a bearer, Flex or
    /// kiosk header carry no ambient credential and need no such check; SameSite=Strict already keeps the cookie off other sites' requests.
    /// </summary>
    private static async Task RefuseCrossSiteCookieWrites(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method;
        if (!(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && !HasBearer(context.Request)
            && !FlexTokenDefaults.IsPresented(context.Request)
            && KioskAuthenticationHandler.Presented(context.Request) is null
            && context.Request.Cookies.ContainsKey(CookieName)
            && !IsSameOrigin(context.Request))
        {
            await ApiProblemsForbidden(context);
            return;
        }

        await next(context);
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "same-origin", StringComparison.Ordinal);
    }

    private static Task ApiProblemsForbidden(HttpContext context) =>
        Results.Problem(
            title: "Cross-site request refused",
            detail: "A change made with the browser's session must come from this site's own pages (Origin).",
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);

    /// <summary>The demo admin a local sign-in link signs the browser in as.</summary>
    internal static ClaimsPrincipal DemoAdmin(AuthOptions auth) => new(new ClaimsIdentity(
        [new Claim("name", "Local demo admin"), new Claim("sub", "local-demo"), new Claim(auth.RolesClaim, Roles.Admin)],
        CookieAuthenticationDefaults.AuthenticationScheme, "name", auth.RolesClaim));

    internal static async Task SignInDemoAdminAsync(HttpContext context, AuthOptions auth)
    {
        var admin = DemoAdmin(auth);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, admin);
        await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(admin, AuditActions.SignIn, null, "ok", "local sign-in link");
    }
}

/// <summary>
/// Signed in with a role of design §8 (<see cref="Role"/>: that one) or, where <see cref="AllowKiosk"/>, with a
/// kiosk token; or <c>Open</c> mode.
/// </summary>
internal sealed record SignedInRequirement(string? Role, bool AllowKiosk) : IAuthorizationRequirement;

internal sealed class SignedInHandler(IOptions<AuthOptions> options) : AuthorizationHandler<SignedInRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SignedInRequirement requirement)
    {
        var auth = options.Value;
        var grant = Grant.Of(context.User, auth);
        var allowed = grant.Kiosk is not null
            ? requirement.AllowKiosk
            : requirement.Role is null ? grant.HasRole : grant.Roles.Contains(requirement.Role);
        if (auth.IsOpen || allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// <see cref="AuthOptions.Validate"/>, and outside Development a refusal to start when nothing says who may
/// sign in (design §8): no identity provider, no signing key, no explicit <c>Mode=Open</c>.
/// </summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = options.Validate().ToList();
        if (options.IsUnconfigured && !environment.IsDevelopment())
        {
            failures.Add($"Sign-in is not configured for the {environment.EnvironmentName} environment: set Lifeline:Auth:Authority and Lifeline:Auth:Audience (the organisation's OIDC provider), or Lifeline:Auth:SigningKey with Lifeline:Auth:Issuer and Lifeline:Auth:Audience, or Lifeline:Auth:Mode=Open to serve every read without sign-in.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
