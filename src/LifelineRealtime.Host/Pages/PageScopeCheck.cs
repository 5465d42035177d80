using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Host.Api;

namespace LifelineRealtime.Host.Pages;

/// <summary>
/// A page about one scope (a team's view, an agent's view) asks the same <see cref="ScopeGate"/> as the API before
/// it answers its shell: a team leader who opens another team's page gets a 403 page, not a shell whose reads fail.
/// </summary>
public sealed class PageScopeCheck(ScopeGate gate)
{
    public async Task<IResult> PageAsync(HttpContext context, StatsKey scope, string title, string script)
    {
        ArgumentNullException.ThrowIfNull(context);
        var what = ScopeKinds.Name(scope.Kind);
        return await gate.CheckAsync(context, scope) switch
        {
            ScopeDecision.Allowed => PageShell.Page(title, script, "desk", null, "css/desk.css"),
            ScopeDecision.Forbidden => PageShell.NotAllowed($"Your sign-in may not see this {what}: a team leader sees their own teams only."),
            ScopeDecision.UnknownPlatform => PageShell.NotFound($"Platform '{scope.PlatformId}' does not exist or is not granted to this sign-in."),
            _ => PageShell.NotFound($"No event has named {what} '{scope.Id}' on platform '{scope.PlatformId}' yet."),
        };
    }
}
