using System.Security.Claims;
using LifelineRealtime.Host.Access.Kiosk;
using LifelineRealtime.Storage.Access;

namespace LifelineRealtime.Host.Access.Audit;

/// <summary>
/// Writes the audit log (design §8) for every surface: who (from the caller's principal), when (this host's
/// clock), what. A failure to write is logged and does not fail the request it records; the log line says
/// what was lost.
/// </summary>
public sealed partial class AuditTrail(IAuditLog log, TimeProvider time, ILogger<AuditTrail> logger)
{
    public const string Anonymous = "anonymous";

    /// <summary>The subject a line names: <c>kiosk:&lt;id&gt;</c> for a kiosk, the token's <c>sub</c> (or its name) otherwise.</summary>
    public static string ActorOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        if (KioskScope.Of(user) is { } kiosk)
        {
            return "kiosk:" + kiosk.TokenId;
        }

        return user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity.Name ?? Anonymous;
    }

    public Task RecordAsync(ClaimsPrincipal? user, string action, string? target, string outcome, string? detail = null) =>
        RecordAsync(ActorOf(user), action, target, outcome, detail);

    public async Task RecordAsync(string actor, string action, string? target, string outcome, string? detail = null)
    {
        var entry = new AuditEntry(0, time.GetUtcNow().ToUnixTimeMilliseconds(), actor, action, target, outcome, detail);
        try
        {
            // Not the request's token: a line is written even when the caller has gone.
            await log.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            NotWritten(logger, e, action, actor, target);
        }
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Error, Message = "Audit line not written: {Action} by {Actor} on {Target}")]
    private static partial void NotWritten(ILogger logger, Exception exception, string action, string actor, string? target);
}
