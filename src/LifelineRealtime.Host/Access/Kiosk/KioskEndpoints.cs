using System.Text.RegularExpressions;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Storage.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Access.Kiosk;

/// <summary>What an admin asks for: a label, one scope, and optionally when it stops working.</summary>
/// <param name="Label">Where the screen is (1 to 100 characters).</param>
/// <param name="PlatformId">The platform.</param>
/// <param name="Scope"><c>platform</c> (its totals), <c>team</c> or <c>queue</c>.</param>
/// <param name="Id">The team name or TaskQueueSid; for <c>platform</c>, omitted or the platform id.</param>
/// <param name="ExpiresAt">An instant in the future, or null for no expiry.</param>
public sealed record KioskTokenRequest(string? Label, string? PlatformId, string? Scope, string? Id, DateTimeOffset? ExpiresAt);

/// <summary>A screen's one-time exchange: the token it was given, for a session cookie.</summary>
public sealed record KioskSessionRequest(string? Token);

public static partial class KioskEndpoints
{
    public const string SessionPath = "/kiosk/session";

    /// <summary>
    /// <c>POST /api/admin/kiosk-tokens</c> issues one (the answer is the only time the token is shown),
    /// <c>GET</c> lists them, <c>DELETE /api/admin/kiosk-tokens/{id}</c> revokes one at once, closing its hub
    /// connections. <c>POST /kiosk/session</c> exchanges a token for a session cookie: a wallboard page reads the
    /// token from its URL fragment (which no server or proxy sees) and posts it here once.
    /// </summary>
    public static IEndpointRouteBuilder MapKioskTokens(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup("/api/admin/kiosk-tokens").WithTags("Administration")
            .RequireAuthorization(AccessExtensions.AdminPolicy);
        admin.MapPost("", IssueAsync)
            .WithName("IssueKioskToken")
            .WithSummary("Issues a read-only token for one wallboard scope. The token is in this answer only; it is stored as a hash.")
            .ProducesValidationProblem();
        admin.MapGet("", ListAsync)
            .WithName("ListKioskTokens")
            .WithSummary("The kiosk tokens issued, usable or not, without their secrets.");
        admin.MapDelete("/{id}", RevokeAsync)
            .WithName("RevokeKioskToken")
            .WithSummary("Revokes a kiosk token at once: its requests fail from now on and its open hub connections are closed.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapPost(SessionPath, ExchangeAsync)
            .AllowAnonymous()
            .WithTags("Sign-in")
            .WithName("KioskSession")
            .WithSummary("Exchanges a kiosk token (in the JSON body) for a session cookie limited to its scope.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return endpoints;
    }

    private static async Task<Results<Created<IssuedKioskToken>, ValidationProblem>> IssueAsync(
        KioskTokenRequest request, HttpContext context, PlatformCatalog platforms, KioskTokens kiosks, AuditTrail audit, TimeProvider time)
    {
        if (Validate(request, platforms, time.GetUtcNow()) is { } problem)
        {
            return problem.Answer;
        }

        var scope = Scope(request);
        var issued = await kiosks.IssueAsync(request.Label!.Trim(), scope, request.ExpiresAt, AuditTrail.ActorOf(context.User), context.RequestAborted);
        await audit.RecordAsync(context.User, AuditActions.KioskIssued, issued.Info.Id, "ok", $"{issued.Info.Label}: {scope.PlatformId} {issued.Info.Scope} {scope.Id}");
        return TypedResults.Created($"/api/admin/kiosk-tokens/{issued.Info.Id}", issued);
    }

    private static async Task<Ok<IReadOnlyList<KioskTokenInfo>>> ListAsync(KioskTokens kiosks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await kiosks.ListAsync(cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context, KioskTokens kiosks, AuditTrail audit)
    {
        if (!await kiosks.RevokeAsync(id, AuditTrail.ActorOf(context.User), context.RequestAborted))
        {
            return TypedResults.Problem(title: "No such kiosk token", detail: $"No usable kiosk token has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        await audit.RecordAsync(context.User, AuditActions.KioskRevoked, id, "ok");
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ExchangeAsync(KioskSessionRequest request, HttpContext context, KioskTokens kiosks, AuditTrail audit)
    {
        var token = request.Token is { Length: > 0 } presented ? await kiosks.ValidateAsync(presented.Trim(), context.RequestAborted) : null;
        if (token is null)
        {
            await audit.RecordAsync(AuditTrail.Anonymous, AuditActions.KioskSignIn, null, "denied", "unknown, revoked or expired kiosk token");
            return TypedResults.Problem(title: "Kiosk token not valid", detail: "The token is unknown, revoked or expired: ask an admin for a new one.", statusCode: StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, KioskAuthenticationHandler.Principal(token, CookieAuthenticationDefaults.AuthenticationScheme));
        await audit.RecordAsync("kiosk:" + token.Id, AuditActions.KioskSignIn, token.Id, "ok", token.Label);
        return TypedResults.NoContent();
    }

    private static StatsKey Scope(KioskTokenRequest request)
    {
        var kind = ScopeKinds.TryParse(request.Scope, out var parsed) ? parsed : throw new InvalidOperationException("scope validated before");
        var id = kind == ScopeKind.Platform ? request.PlatformId! : request.Id!.Trim();
        return new StatsKey(request.PlatformId!, kind, id);
    }

    private sealed record Problem(ValidationProblem Answer);

    private static Problem? Validate(KioskTokenRequest request, PlatformCatalog platforms, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Label) || request.Label.Trim().Length > 100)
        {
            errors["label"] = ["A label of 1 to 100 characters, saying where the screen is, is required."];
        }

        if (request.PlatformId is null || !platforms.TryGet(request.PlatformId, out _))
        {
            errors["platformId"] = [$"Unknown platform '{request.PlatformId}'."];
        }

        if (!ScopeKinds.TryParse(request.Scope, out var kind) || !KioskTokens.Kinds.Contains(kind))
        {
            errors["scope"] = [$"Scope must be platform, team or queue (got '{request.Scope}')."];
        }
        else if (kind == ScopeKind.Platform && request.Id is { Length: > 0 } && request.Id != request.PlatformId)
        {
            errors["id"] = ["For a platform scope the id is omitted or the platform id."];
        }
        else if (kind == ScopeKind.Team && (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 256))
        {
            errors["id"] = ["A team name (1 to 256 characters) is required."];
        }
        else if (kind == ScopeKind.Queue && (request.Id is null || !QueueSid().IsMatch(request.Id)))
        {
            errors["id"] = [$"A TaskQueueSid (WQ and 32 hex digits) is required (got '{request.Id}')."];
        }

        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors["expiresAt"] = [$"expiresAt must be in the future (got {expires:O})."];
        }

        return errors.Count == 0 ? null : new Problem(TypedResults.ValidationProblem(errors, title: "Kiosk token not issued"));
    }

    [GeneratedRegex(@"^WQ[0-9a-fA-F]{32}\z")]
    private static partial Regex QueueSid();
}
