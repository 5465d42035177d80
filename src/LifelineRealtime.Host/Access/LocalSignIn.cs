using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// The embedded demo's sign-in without an identity provider (Development, nothing configured under
/// <c>Lifeline:Auth</c>): a random token made at start, printed once in the start summary as a link, that
/// signs one browser in as a demo admin and is spent by that use. A restart makes a new one.
/// </summary>
public sealed class LocalSignIn(IOptions<AuthOptions> options, IHostEnvironment environment)
{
    public const string Path = "/signin/local";

    private readonly string _token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
    private int _used;

    /// <summary>Whether this start signs in through the local link.</summary>
    public bool Enabled => environment.IsDevelopment() && options.Value.IsUnconfigured;

    /// <summary>The link's path and query, or null when local sign-in is off.</summary>
    public string? Link => Enabled ? $"{Path}?token={_token}" : null;

    /// <summary>True once, for this start's token.</summary>
    public bool TrySpend(string? token) =>
        Enabled && token is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(token), System.Text.Encoding.ASCII.GetBytes(_token))
        && Interlocked.Exchange(ref _used, 1) == 0;

    public static IEndpointRouteBuilder MapLocalSignIn(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HttpContext context, string? token, LocalSignIn signIn, IOptions<AuthOptions> auth) =>
        {
            if (!signIn.Enabled)
            {
                return Results.NotFound();
            }

            if (!signIn.TrySpend(token))
            {
                return Results.Problem(
                    title: "Sign-in link not valid",
                    detail: "This link has been used, or belongs to another start of the engine: restart it for a new one.",
                    statusCode: StatusCodes.Status403Forbidden);
            }

            await AccessExtensions.SignInDemoAdminAsync(context, auth.Value);
            return Results.Redirect(Pages.PageRoutes.Home);
        })
        .AllowAnonymous()
        .ExcludeFromDescription();
        return endpoints;
    }
}
