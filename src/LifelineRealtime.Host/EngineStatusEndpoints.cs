using LifelineRealtime.Host.Health;
using LifelineRealtime.Storage.Quarantine;

namespace LifelineRealtime.Host;

/// <summary>How far the engine has got: what the journal holds, what has reached the grains, and whether it is ready.</summary>
/// <param name="JournalSequence">The highest committed journal sequence.</param>
/// <param name="DispatchedSequence">The highest sequence delivered to the grains (−1 while starting).</param>
/// <param name="Lag">Committed records not yet delivered; 0 means every metric reflects the journal.</param>
/// <param name="MaxDispatchLag">The lag above which the engine is not ready (<c>Lifeline:Health:MaxDispatchLag</c>).</param>
/// <param name="Journal">Whether the journal can commit, and since when; the last error.</param>
/// <param name="Ready">What <c>/readyz</c> answers: the journal commits and the lag is within the limit.</param>
/// <param name="Quarantined">Journal records set aside and not applied (<c>GET /api/admin/quarantine</c>);
/// 0 means every metric reflects every dispatched record.</param>
public sealed record EngineStatus(long JournalSequence, long DispatchedSequence, long Lag, long MaxDispatchLag, JournalStatus Journal, bool Ready, int Quarantined);

public static class EngineStatusEndpoints
{
    /// <summary><c>GET /status</c>: journal state and dispatch progress, for operators. Always 200; the probe is <c>/readyz</c>.</summary>
    public static IEndpointRouteBuilder MapEngineStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/status", GetStatus)
            .WithName("GetEngineStatus")
            .WithSummary("Journal state and dispatch progress; lag 0 means every metric reflects every committed event.");
        return endpoints;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<EngineStatus> GetStatus(EngineReadiness readiness, IDispatchQuarantine quarantine)
    {
        var dispatched = readiness.DispatchedSequence;
        var journaled = readiness.JournalSequence;
        var health = readiness.Journal.Health;
        var ready = health.IsWritable && readiness.DispatchReady(journaled, dispatched);
        return TypedResults.Ok(new EngineStatus(
            journaled,
            dispatched,
            EngineReadiness.Lag(journaled, dispatched),
            readiness.MaxDispatchLag,
            JournalStatus.From(health),
            ready,
            quarantine.Count));
    }
}
