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

    /// <summary>What <paramref name="user"/> may see of a platform's conversation list (asked after <see cref="CanSeePlatformAsync"/>).</summary>
    ConversationGrant Conversations(ClaimsPrincipal user, string platformId);
}

/// <summary>
/// A caller's view of the conversation list: whether at all, which teams' conversations (null: every team), whether
/// crisis supporters' names are shown (else a pseudonym), and whether transcripts may be opened.
/// </summary>
public sealed record ConversationGrant(bool Allowed, IReadOnlySet<string>? Teams, bool CustomerNames, bool Transcripts)
{
    public static readonly ConversationGrant None = new(false, new HashSet<string>(), false, false);

    public static readonly ConversationGrant Everything = new(true, null, true, true);
}
