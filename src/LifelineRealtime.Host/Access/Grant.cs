using System.Collections.Frozen;
using System.Security.Claims;
using LifelineRealtime.Host.Access.Kiosk;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// What a signed-in caller holds, read from its claims (each a JSON array or repeated claims; the token
/// handler turns an array into one claim per element): the known roles among its roles, the platforms and
/// the teams granted.
/// </summary>
public sealed record Grant(FrozenSet<string> Roles, FrozenSet<string> Platforms, FrozenSet<string> Teams, KioskScope? Kiosk = null)
{
    public static readonly Grant None = new(FrozenSet<string>.Empty, FrozenSet<string>.Empty, FrozenSet<string>.Empty);

    public static Grant Of(ClaimsPrincipal user, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        if (user.Identity?.IsAuthenticated != true)
        {
            return None;
        }

        FrozenSet<string> Values(string type, Func<string, bool>? keep = null) =>
            user.FindAll(type).Select(c => c.Value.Trim()).Where(v => v.Length > 0 && (keep is null || keep(v))).ToFrozenSet(StringComparer.Ordinal);

        // A kiosk holds its one scope and nothing else, whatever other claims a principal might carry.
        if (KioskScope.Of(user) is { } kiosk)
        {
            return new Grant(FrozenSet<string>.Empty, new[] { kiosk.PlatformId }.ToFrozenSet(StringComparer.Ordinal), FrozenSet<string>.Empty, kiosk);
        }

        return new Grant(
            Values(options.RolesClaim, r => Access.Roles.All.Contains(r, StringComparer.Ordinal)),
            Values(options.PlatformsClaim),
            Values(options.TeamsClaim));
    }

    public bool IsAdmin => Roles.Contains(Access.Roles.Admin);

    /// <summary>A role of design §8, or a kiosk token (which reads its one scope).</summary>
    public bool HasRole => Roles.Count > 0 || Kiosk is not null;

    /// <summary>An admin sees every platform; anyone else the platforms of its <c>platforms</c> claim.</summary>
    public bool HasPlatform(string platformId) => IsAdmin || Platforms.Contains(platformId);
}
