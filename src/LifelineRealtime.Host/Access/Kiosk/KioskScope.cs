using System.Security.Claims;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Host.Access.Kiosk;

/// <summary>The one scope a kiosk token reads, as its principal carries it.</summary>
/// <param name="TokenId">The kiosk token's public id.</param>
/// <param name="Key">Its scope: a platform's totals, a team or a queue.</param>
public sealed record KioskScope(string TokenId, StatsKey Key)
{
    /// <summary>The kiosk token id claim; a principal with it is a kiosk and nothing else.</summary>
    public const string IdClaim = "lifeline.kiosk";

    /// <summary><c>platform</c>, <c>team</c> or <c>queue</c>.</summary>
    public const string KindClaim = "lifeline.kiosk.kind";

    public const string PlatformClaim = "lifeline.kiosk.platform";

    public const string ScopeIdClaim = "lifeline.kiosk.scope";

    public string PlatformId => Key.PlatformId;

    public static KioskScope? Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst(IdClaim)?.Value;
        var platform = user.FindFirst(PlatformClaim)?.Value;
        var scopeId = user.FindFirst(ScopeIdClaim)?.Value;
        if (id is null || platform is null || scopeId is null || !ScopeKinds.TryParse(user.FindFirst(KindClaim)?.Value ?? "", out var kind))
        {
            return null;
        }

        return new KioskScope(id, new StatsKey(platform, kind, scopeId));
    }
}
