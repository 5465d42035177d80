using System.Security.Claims;
using LifelineRealtime.Abstractions.Keys;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// The one place that decides who may read what (design §8). Every read passes through it — the HTTP
/// API's scope filter and platform list, and the wallboard hub's <c>Subscribe</c> — so enforcing sign-in
/// later replaces this service, not its callers.
/// </summary>
public interface IScopeAccess
{
    /// <summary>Whether <paramref name="user"/> may see the platform at all (the platform list shows only those).</summary>
    ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platformId, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> may read this scope's metrics, logged status, live state, reports and pushes.</summary>
    ValueTask<bool> CanReadAsync(ClaimsPrincipal user, StatsKey scope, CancellationToken cancellationToken);
}

/// <summary>
/// Today's policy: everything is readable. Sign-in (design §8: roles, platform and team grants) is a
/// later change that registers a different <see cref="IScopeAccess"/>.
/// </summary>
internal sealed class OpenScopeAccess : IScopeAccess
{
    public ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platformId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, StatsKey scope, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
