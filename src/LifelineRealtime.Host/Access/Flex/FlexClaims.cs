using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// A validated Flex token (and its worker's attributes) mapped to the claims a bearer JWT carries (design §8),
/// so <see cref="Grant.Of"/> and the <see cref="AccessPolicy"/> read both alike:
/// <list type="bullet">
/// <item>Flex <c>admin</c> → <c>lifeline.admin</c>; the token's <c>wfo.*</c> roles kept; when the token has none of
/// those, the <c>wfo.*</c> roles of the worker's <c>roles</c> attribute (Flex copies the IdP's roles there);</item>
/// <item>teams: the worker's team attribute (the platform's <c>TeamAttribute</c>), whichever gave the roles;</item>
/// <item>platforms: the platform whose account validated the token, and only that one.</item>
/// </list>
/// </summary>
public static class FlexClaims
{
    /// <summary>Flex's administrator role.</summary>
    public const string FlexAdmin = "admin";

    private const string InsightsPrefix = "wfo.";

    /// <summary>
    /// The roles of design §8 a token's Flex roles give: <c>admin</c> and every <c>wfo.*</c>. A token saying
    /// <c>lifeline.admin</c> itself gives nothing: this engine's roles are ours to map, not the IdP's to claim.
    /// </summary>
    public static ImmutableArray<string> RolesFromToken(IEnumerable<string>? flexRoles) =>
        [.. (flexRoles ?? []).Select(r => r.Trim())
            .Select(r => r == FlexAdmin ? Roles.Admin : IsInsightsRole(r) ? r : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The <c>wfo.*</c> roles of a worker's <c>roles</c> attribute: an array, or the comma list a SAML attribute
    /// arrives as when it was not mapped to an array. Flex <c>admin</c> here gives nothing: only the token says admin.
    /// </summary>
    public static ImmutableArray<string> RolesFromWorker(TaskRouterAttributes? attributes)
    {
        if (attributes is null || attributes.Root.ValueKind != JsonValueKind.Object || !attributes.Root.TryGetProperty("roles", out var roles))
        {
            return [];
        }

        IEnumerable<string> values = roles.ValueKind switch
        {
            JsonValueKind.Array => roles.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
            JsonValueKind.String => roles.GetString()!.Split(','),
            _ => [],
        };
        return [.. values.Select(r => r.Trim()).Where(IsInsightsRole).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The worker's team by the platform's <c>TeamAttribute</c>, or none when the attribute is missing or empty.</summary>
    public static ImmutableArray<string> TeamsFromWorker(PlatformSettings platform, TaskRouterAttributes? attributes)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (attributes is null)
        {
            return [];
        }

        // TeamOf names a worker without the attribute "unassigned" for the statistics; that is no team to be granted.
        var team = platform.TeamOf(attributes);
        return team == SupportTypes.UnassignedTeam ? [] : [team];
    }

    /// <summary>The sign-in a valid token gives on <paramref name="platform"/>, its worker's attributes read (null: none).</summary>
    public static FlexSignIn SignIn(FlexTokenValidation token, PlatformSettings platform, TaskRouterAttributes? worker, DateTimeOffset expiration)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(platform);
        var roles = RolesFromToken(token.Roles);
        if (roles.IsEmpty)
        {
            roles = RolesFromWorker(worker);
        }

        var name = FirstNonEmpty(token.RealmUserId, token.Identity, token.WorkerSid) ?? "Flex user";
        return new FlexSignIn(name, FirstNonEmpty(token.Identity, token.RealmUserId), platform.Id, roles, TeamsFromWorker(platform, worker), expiration);
    }

    /// <summary>The principal of a sign-in, with the claim types <paramref name="auth"/> names.</summary>
    public static ClaimsPrincipal Principal(FlexSignIn signIn, AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(auth);
        var claims = new List<Claim> { new("name", signIn.Name), new(auth.PlatformsClaim, signIn.PlatformId) };
        if (signIn.Subject is not null)
        {
            claims.Add(new Claim("sub", signIn.Subject));
        }

        claims.AddRange(signIn.Roles.Select(r => new Claim(auth.RolesClaim, r)));
        claims.AddRange(signIn.Teams.Select(t => new Claim(auth.TeamsClaim, t)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, FlexTokenDefaults.Scheme, "name", auth.RolesClaim));
    }

    private static bool IsInsightsRole(string role) => role.Length > InsightsPrefix.Length && role.StartsWith(InsightsPrefix, StringComparison.Ordinal);

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
