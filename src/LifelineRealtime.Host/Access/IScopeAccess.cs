using System.Security.Claims;
using LifelineRealtime.Abstractions.Keys;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// The one place that decides who may read what (design §8). Every read passes through it — the HTTP
/// API's scope filter and platform list, and the wallboard hub's <c>Subscribe</c>.
/// </summary>
public interface IScopeAccess
{
    /// <summary>Whether <paramref name="user"/> may see the platform at all: a platform not granted is answered as if it did not exist.</summary>
    ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platformId, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> may read this scope's metrics, logged status, live state, reports and pushes.</summary>
    ValueTask<bool> CanReadAsync(ClaimsPrincipal user, StatsKey scope, CancellationToken cancellationToken);
}
