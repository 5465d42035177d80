using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// Runs before every scope read: the platform must be configured and granted to the caller (404 either way), the caller must be allowed to read
/// the scope (403, asked before existence so a refused caller learns nothing about which ids exist), and a
/// queue, team or worker must have been seen (404): a scope that never received a change has no grain
/// state, and the platform's <see cref="IScopeDirectoryGrain"/> is what knows the ids.
/// </summary>
internal sealed class ScopeFilter(PlatformCatalog platforms, IScopeAccess access, KnownScopes scopes, AuditTrail audit) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var scope = ApiScope.From(http) ?? throw new InvalidOperationException("a scope endpoint without a scope route");
        if (!platforms.TryGet(scope.PlatformId, out _) || !await access.CanSeePlatformAsync(http.User, scope.PlatformId, http.RequestAborted))
        {
            return ApiProblems.UnknownPlatform(scope.PlatformId);
        }

        if (!await access.CanReadAsync(http.User, scope.Key, http.RequestAborted))
        {
            if (scope.Kind == ScopeKind.Worker)
            {
                // A worker's reads carry personal data (names, logged status): a refusal is audited.
                await audit.RecordAsync(http.User, AuditActions.AccessDenied, $"{scope.PlatformId}/worker/{scope.Id}", "denied", http.Request.Path);
            }

            return ApiProblems.Forbidden(scope);
        }

        if (scope.Kind != ScopeKind.Platform && !await scopes.ExistsAsync(scope.Key))
        {
            return ApiProblems.UnknownScope(scope);
        }

        return await next(context);
    }
}
