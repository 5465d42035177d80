using System.Security.Claims;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access;

/// <summary>
/// Design §8's policy, the only copy. On the platforms a caller is granted (an admin: all):
/// <list type="bullet">
/// <item><c>lifeline.admin</c>, <c>wfo.full_access</c>, <c>wfo.data_analyst</c>: every scope (aggregates; the
/// conversation list and transcripts, which analysts may not see, are not scope reads);</item>
/// <item><c>wfo.team_leader</c>: its teams, the workers of its teams, and every queue; not the platform's totals,
/// nor another team or its workers;</item>
/// <item>a kiosk token: its one scope (a platform's totals, a team or a queue), nothing else.</item>
/// </list>
/// In <c>Open</c> mode everything is readable. A platform not granted does not exist for the caller (404). Sign-in and "has a role" are the endpoints'
/// authorization policy (401, 403), asked before this.
/// </summary>
public sealed class AccessPolicy(IOptions<AuthOptions> options, IGrainFactory grains) : IScopeAccess
{
    public ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platformId, CancellationToken cancellationToken)
    {
        if (options.Value.IsOpen)
        {
            return ValueTask.FromResult(true);
        }

        var grant = Grant.Of(user, options.Value);
        return ValueTask.FromResult(grant.HasRole && grant.HasPlatform(platformId));
    }

    public async ValueTask<bool> CanReadAsync(ClaimsPrincipal user, StatsKey scope, CancellationToken cancellationToken)
    {
        if (options.Value.IsOpen)
        {
            return true;
        }

        var grant = Grant.Of(user, options.Value);
        if (!grant.HasRole || !grant.HasPlatform(scope.PlatformId))
        {
            return false;
        }

        if (grant.Kiosk is { } kiosk)
        {
            return kiosk.Key == scope;
        }

        if (grant.IsAdmin || grant.Roles.Contains(Roles.FullAccess) || grant.Roles.Contains(Roles.DataAnalyst))
        {
            return true;
        }

        // A team leader and nothing broader.
        return scope.Kind switch
        {
            ScopeKind.Queue => true,
            ScopeKind.Team => grant.Teams.Contains(scope.Id),
            ScopeKind.Worker => grant.Teams.Count > 0 && await TeamOfWorkerAsync(scope) is { } team && grant.Teams.Contains(team),
            _ => false,
        };
    }

    /// <summary>
    /// The conversation list: admins and full access see every conversation with names and transcripts; a team leader
    /// its teams' (names and transcripts); a data analyst every conversation with a pseudonym for each CS and no
    /// transcripts; a kiosk nothing.
    /// </summary>
    public ConversationGrant Conversations(ClaimsPrincipal user, string platformId)
    {
        if (options.Value.IsOpen)
        {
            return ConversationGrant.Everything;
        }

        var grant = Grant.Of(user, options.Value);
        if (!grant.HasRole || !grant.HasPlatform(platformId) || grant.Kiosk is not null)
        {
            return ConversationGrant.None;
        }

        if (grant.IsAdmin || grant.Roles.Contains(Roles.FullAccess))
        {
            return ConversationGrant.Everything;
        }

        if (grant.Roles.Contains(Roles.TeamLeader))
        {
            return new ConversationGrant(true, grant.Teams, CustomerNames: true, Transcripts: true);
        }

        return grant.Roles.Contains(Roles.DataAnalyst) ? new ConversationGrant(true, null, CustomerNames: false, Transcripts: false) : ConversationGrant.None;
    }

    /// <summary>The team the worker's statistics hold it in (from its latest attributes), or null when not known yet.</summary>
    private async Task<string?> TeamOfWorkerAsync(StatsKey worker)
    {
        var live = await grains.GetGrain<IStatsGrain>(worker.ToGrainKey()).GetLiveAsync();
        return live.Workers.SelectMany(a => a.Members).FirstOrDefault(m => m.WorkerSid == worker.Id)?.Team;
    }
}
