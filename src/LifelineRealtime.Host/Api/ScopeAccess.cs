using System.Security.Claims;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// The one place that decides who may read what (design §8). Every API read passes through it (the scope
/// filter and the platform list), so enforcing sign-in later replaces this service, not the handlers.
/// </summary>
public interface IScopeAccess
{
    /// <summary>Whether <paramref name="user"/> may see the platform at all (the platform list shows only those).</summary>
    ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platformId, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> may read this scope's metrics, logged status, live state and reports.</summary>
    ValueTask<bool> CanReadAsync(ClaimsPrincipal user, ApiScope scope, CancellationToken cancellationToken);
}

/// <summary>
/// Today's policy: everything is readable. Sign-in (design §8: roles, platform and team grants) is a
/// later change that registers a different <see cref="IScopeAccess"/>.
/// </summary>
internal sealed class OpenScopeAccess : IScopeAccess
{
    public ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platformId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, ApiScope scope, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
