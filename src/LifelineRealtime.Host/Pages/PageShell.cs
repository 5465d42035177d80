using System.Text.Encodings.Web;
using LifelineRealtime.Host.Access;

namespace LifelineRealtime.Host.Pages;

/// <summary>
/// The HTML the pages answer with: a shell naming its script (under <c>/assets/js/</c>), which reads the API and
/// the hub; and the two pages that need no script (sign-in options, not allowed). No data is ever in the HTML.
/// </summary>
internal static class PageShell
{
    /// <summary>Scripts and styles from this host only; the hub over this host's WebSocket; never framed.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>A page's shell; <paramref name="styles"/> are stylesheets after <c>css/pages.css</c>, as paths under <c>/assets/</c>.</summary>
    public static IResult Page(string title, string script, string kind, PageExtras? extras = null, params string[] styles)
    {
        var e = extras ?? PageExtras.None;
        var html = $$"""
            {{Head(title, styles)}}
            <script src="{{PagesExtensions.AssetsPath}}/lib/signalr.min.js" defer></script>
            <script type="module" src="{{PagesExtensions.AssetsPath}}/js/{{script}}.js"></script>
            </head>
            <body class="{{kind}}" data-page="{{script}}" data-signout="{{Flag(e.SignOut)}}" data-conversations="{{Flag(e.Conversations)}}" data-stuck-tasks="{{Flag(e.StuckTasks)}}" data-team-view="{{Flag(e.TeamView)}}" data-reports="{{Flag(e.Reports)}}">
            <div id="urgent" class="urgent" role="alert" hidden></div>
            <header class="bar">
              <h1 id="title">{{Encode(title)}}</h1>
              <p class="status"><span id="connection" class="connection" role="status" aria-live="polite">connecting…</span> <span id="updated" class="updated">not updated yet</span></p>
            </header>
            <main id="app" tabindex="-1"><p class="note">Loading…</p></main>
            <noscript><p class="problem">This page needs JavaScript: its figures come live from the engine.</p></noscript>
            </body>
            </html>
            """;
        return new HtmlResult(html, StatusCodes.Status200OK);
    }

    public static IResult SignIn(string returnUrl, bool localLink, AuthOptions auth, bool oidc)
    {
        var options = new List<string>();
        if (oidc)
        {
            options.Add($"""<li><a class="button" href="/signin?returnUrl={Uri.EscapeDataString(returnUrl)}">Sign in with your organisation's account</a></li>""");
        }

        if (localLink)
        {
            options.Add("""<li><strong>Local demo:</strong> open the one-time link the engine printed on its console when it started (the line <code>Sign-in: open http://…/signin/local?token=…</code>). It signs this browser in as a demo admin; a restart prints a new one.</li>""");
        }
        else if (!oidc && !auth.IsOpen)
        {
            options.Add("""<li><strong>People:</strong> this engine does not sign browsers in yet; it accepts bearer tokens from services. An administrator configures the organisation's sign-in (<code>Lifeline:Auth:ClientId</code>) for people to use these pages.</li>""");
        }

        options.Add("""<li><strong>Wall screens:</strong> open the kiosk link an admin issued for the screen, for example <code>/wallboard/digi/teams/Team%20A#kiosk=llk_…</code> (or <code>/wallboard/{platform}</code>, <code>/wallboard/{platform}/queues/{TaskQueueSid}</code>). The token after <code>#</code> is sent only to sign the screen in, then removed from the address.</li>""");
        var html = $$"""
            {{Head("Sign in · Lifeline Realtime", [])}}
            </head>
            <body class="home signin">
            <main id="app">
            <h1>Sign in to Lifeline Realtime</h1>
            <p>Every figure here is about people in crisis and the people helping them, so every page needs sign-in.</p>
            <ul class="options">
            {{string.Join("\n", options)}}
            </ul>
            <p class="note">After signing in, go back to <a href="{{Encode(returnUrl)}}">{{Encode(returnUrl)}}</a>.</p>
            </main>
            </body>
            </html>
            """;
        return new HtmlResult(html, StatusCodes.Status200OK);
    }

    public static IResult NotAllowed(string reason = "A wall screen's kiosk session opens only the wallboard it was issued for.") =>
        Message("Not allowed", "You are signed in, but not for this page. " + reason, StatusCodes.Status403Forbidden);

    public static IResult NotFound(string what) => Message("Not found", what, StatusCodes.Status404NotFound);

    /// <summary>A page that only says why there is nothing to show, with a way home.</summary>
    private static HtmlResult Message(string title, string text, int status)
    {
        var html = $$"""
            {{Head(title + " · Lifeline Realtime", [])}}
            </head>
            <body class="home">
            <main id="app">
            <h1>{{Encode(title)}}</h1>
            <p class="problem" role="alert">{{Encode(text)}}</p>
            <p><a href="/">Home</a></p>
            </main>
            </body>
            </html>
            """;
        return new HtmlResult(html, status);
    }

    /// <summary>Every page's head up to its scripts: the dark scheme, no favicon request, <c>css/pages.css</c>, then <paramref name="styles"/> (paths under <c>/assets/</c>).</summary>
    private static string Head(string title, IEnumerable<string> styles) =>
        $"""
        <!doctype html>
        <html lang="en-AU">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <meta name="color-scheme" content="dark">
        <title>{Encode(title)}</title>
        <link rel="stylesheet" href="{PagesExtensions.AssetsPath}/css/pages.css">
        """ + string.Concat(styles.Select(style => $"\n<link rel=\"stylesheet\" href=\"{PagesExtensions.AssetsPath}/{Encode(style)}\">"));

    /// <summary>A path on this host to return to; anything else (another site, <c>//host</c>) is the home page.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : PageRoutes.Home;

    private static string Flag(bool on) => on ? "1" : "";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private sealed class HtmlResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.CacheControl = "no-store";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
