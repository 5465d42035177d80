using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Host.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Pages;

/// <summary>
/// The browser pages (design §10): static assets under <see cref="AssetsPath"/> (scripts, styles and the vendored
/// libraries; no data in them, so anonymous), and HTML pages as endpoints. A page is a shell: every figure comes
/// from the API and the hub, which ask the access policy themselves.
/// </summary>
/// <remarks>
/// The TV wallboards' shells (<c>/wallboard/{platform}</c>, its team and queue forms) answer without sign-in: a
/// screen opened with a kiosk link (<c>…#kiosk=llk_…</c>) must run its script before it has a session, to
/// exchange the fragment at <c>POST /kiosk/session</c>. The home page and the both-platforms view need a
/// signed-in person; a browser that is not signed in is sent to <see cref="PageRoutes.SignIn"/> instead of a bare 401.
/// </remarks>
public static class PagesExtensions
{
    public const string AssetsPath = "/assets";

    public static IHostApplicationBuilder AddLifelinePages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Replaces the default handler, and wraps it: only page endpoints asked for HTML are answered differently.
        builder.Services.TryAddSingleton<AuthorizationMiddlewareResultHandler>();
        builder.Services.TryAddSingleton<PageScopeCheck>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, PageAuthorizationResultHandler>());
        return builder;
    }

    /// <summary>The static assets, before sign-in: served from <c>wwwroot</c> under <see cref="AssetsPath"/>, revalidated on every load.</summary>
    public static WebApplication UseLifelineAssets(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = AssetsPath,
            // A host started from its build output without a wwwroot beside it serves no assets rather than failing to start.
            FileProvider = app.Environment.WebRootFileProvider is NullFileProvider && Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot"))
                ? new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"))
                : app.Environment.WebRootFileProvider,
            OnPrepareResponse = context =>
            {
                // A wall screen stays open for weeks: it must pick up a new script after an upgrade.
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
        return app;
    }

    public static IEndpointRouteBuilder MapLifelinePages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var pages = endpoints.MapGroup("").WithTags("Pages").ExcludeFromDescription().WithMetadata(new PageMetadata());

        pages.MapGet(PageRoutes.Home, (HttpContext context, EndpointDataSource routes) =>
                PageShell.Page("Lifeline Realtime", "home", "home", Extras(routes)))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.BothPlatforms, () => PageShell.Page("Both platforms · Lifeline wallboard", "both", "tv"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.TeamView, (HttpContext context, string platformId, string teamName, PageScopeCheck check) =>
                check.PageAsync(context, new StatsKey(platformId, ScopeKind.Team, Unescape(teamName)), "Team · Lifeline Realtime", "team"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.WorkerView, (HttpContext context, string platformId, string workerSid, PageScopeCheck check) =>
                check.PageAsync(context, new StatsKey(platformId, ScopeKind.Worker, workerSid), "Agent · Lifeline Realtime", "worker"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.Reports, () => PageShell.Page("Reports · Lifeline Realtime", "reports", "desk", null, "lib/uPlot.min.css", "css/desk.css", "css/reports.css"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.StuckTasks, () => PageShell.Page("Stuck tasks · Lifeline Realtime", "tasks", "desk", null, "css/desk.css"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.Conversations, () => PageShell.Page("Conversations · Lifeline Realtime", "conversations", "desk", null, "css/desk.css"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        pages.MapGet(PageRoutes.Transcript, () => PageShell.Page("Conversation · Lifeline Realtime", "transcript", "desk", null, "css/desk.css"))
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        foreach (var route in PageRoutes.WallboardShells)
        {
            pages.MapGet(route, () => PageShell.Page("Lifeline wallboard", "wallboard", "tv")).AllowAnonymous();
        }

        pages.MapGet(PageRoutes.SignIn, (string? returnUrl, IOptions<AuthOptions> auth, LocalSignIn local, IConfiguration configuration) =>
                PageShell.SignIn(PageShell.LocalReturnUrl(returnUrl), local.Enabled, auth.Value, configuration[OidcClientIdKey] is { Length: > 0 }))
            .AllowAnonymous();
        return endpoints;
    }

    /// <summary>The server decodes a path except "%2F", so a team named "Crisis/Night" arrives as "Crisis%2FNight".</summary>
    private static string Unescape(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Set when browsers sign in with the organisation's OIDC provider (<c>GET /signin?returnUrl=</c>).</summary>
    public const string OidcClientIdKey = "Lifeline:Auth:ClientId";

    /// <summary>Links the home page offers only when their routes are mapped on this host.</summary>
    private static PageExtras Extras(EndpointDataSource routes)
    {
        var patterns = routes.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText?.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();
        bool Has(string pattern, string method) => patterns.Any(p => p.Pattern == pattern && (p.Methods.Count == 0 || p.Methods.Contains(method)));
        return new PageExtras(
            SignOut: Has(PageRoutes.SignOut, HttpMethods.Post),
            Conversations: Has(PageRoutes.Conversations, HttpMethods.Get),
            StuckTasks: Has(PageRoutes.StuckTasks, HttpMethods.Get),
            TeamView: Has(PageRoutes.TeamView, HttpMethods.Get),
            Reports: Has(PageRoutes.Reports, HttpMethods.Get));
    }
}

/// <summary>Marks an endpoint as an HTML page: a browser that is not signed in is sent to the sign-in page.</summary>
public sealed class PageMetadata;

/// <summary>What else this host serves that the home page can link to.</summary>
public sealed record PageExtras(bool SignOut, bool Conversations, bool StuckTasks, bool TeamView, bool Reports)
{
    public static PageExtras None { get; } = new(false, false, false, false, false);
}
