using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LifelineRealtime.Host.Pages;

/// <summary>
/// For a page asked for HTML: not signed in is a redirect to the sign-in page (with the page as
/// <c>returnUrl</c>), signed in but not allowed (a kiosk on a person's page) a short HTML 403. Everything else,
/// the API above all, keeps the default answer: 401 or 403, never a redirect.
/// </summary>
internal sealed class PageAuthorizationResultHandler(AuthorizationMiddlewareResultHandler fallback) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<PageMetadata>() is null || !AcceptsHtml(context.Request))
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            var page = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{PageRoutes.SignIn}?returnUrl={Uri.EscapeDataString(page)}");
            return;
        }

        await PageShell.NotAllowed().ExecuteAsync(context);
    }

    internal static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
}
