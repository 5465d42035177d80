using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Host.Api;

/// <summary>What <see cref="ScopeGate"/> decided about one scope read.</summary>
public enum ScopeDecision
{
    Allowed,

    /// <summary>Not configured, or not granted to the caller: answered as if it did not exist.</summary>
    UnknownPlatform,

    Forbidden,

    /// <summary>A queue, team or worker no event has named.</summary>
    UnknownScope,
}

/// <summary>
/// The checks before every scope read, in one place for the API and the pages: the platform must be configured and
/// granted to the caller, the caller must be allowed to read the scope (asked before existence so a refused caller
/// learns nothing about which ids exist), and a queue, team or worker must have been seen: a scope that never
/// received a change has no grain state, and the platform's <see cref="IScopeDirectoryGrain"/> is what knows the ids.
/// </summary>
public sealed class ScopeGate(PlatformCatalog platforms, IScopeAccess access, KnownScopes scopes, AuditTrail audit)
{
    public async Task<ScopeDecision> CheckAsync(HttpContext http, StatsKey scope)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!platforms.TryGet(scope.PlatformId, out _) || !await access.CanSeePlatformAsync(http.User, scope.PlatformId, http.RequestAborted))
        {
            return ScopeDecision.UnknownPlatform;
        }

        if (!await access.CanReadAsync(http.User, scope, http.RequestAborted))
        {
            if (scope.Kind == ScopeKind.Worker)
            {
                // A worker's reads carry personal data (names, logged status): a refusal is audited.
                await audit.RecordAsync(http.User, AuditActions.AccessDenied, $"{scope.PlatformId}/worker/{scope.Id}", "denied", http.Request.Path);
            }

            return ScopeDecision.Forbidden;
        }

        return scope.Kind != ScopeKind.Platform && !await scopes.ExistsAsync(scope)
            ? ScopeDecision.UnknownScope
            : ScopeDecision.Allowed;
    }
}

/// <summary>Runs <see cref="ScopeGate"/> before every API scope read: 404, 403 or 404 as problem details.</summary>
internal sealed class ScopeFilter(ScopeGate gate) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var scope = ApiScope.From(http) ?? throw new InvalidOperationException("a scope endpoint without a scope route");
        return await gate.CheckAsync(http, scope.Key) switch
        {
            ScopeDecision.UnknownPlatform => ApiProblems.UnknownPlatform(scope.PlatformId),
            ScopeDecision.Forbidden => ApiProblems.Forbidden(scope),
            ScopeDecision.UnknownScope => ApiProblems.UnknownScope(scope),
            _ => await next(context),
        };
    }
}
