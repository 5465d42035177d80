using System.Security.Claims;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Host.Wallboard;

/// <summary>
/// Whether a caller may read one scope (design §8). Every read of a scope asks this one service, so
/// sign-in and roles can be implemented here later without changing its callers.
/// </summary>
public interface IScopeAccess
{
    ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string platformId, ScopeKind scope, string id, CancellationToken cancellationToken);
}

/// <summary>Today's policy: every scope is readable (sign-in is not built yet).</summary>
public sealed class AllowAllScopeAccess : IScopeAccess
{
    public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string platformId, ScopeKind scope, string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);
}
