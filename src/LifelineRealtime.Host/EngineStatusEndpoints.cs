using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Storage.Quarantine;

namespace Microsoft.AspNetCore.Builder;

/// <summary>How far the engine has got: what the journal holds and what has reached the grains.</summary>
/// <param name="JournalSequence">The highest committed journal sequence.</param>
/// <param name="DispatchedSequence">The highest sequence delivered to the grains (−1 while starting).</param>
/// <param name="Lag">Committed records not yet delivered; 0 means every metric reflects the journal.</param>
/// <param name="Quarantined">Journal records set aside and not applied (<c>GET /api/admin/quarantine</c>);
/// 0 means every metric reflects every dispatched record.</param>
public sealed record EngineStatus(long JournalSequence, long DispatchedSequence, long Lag, int Quarantined);

public static class EngineStatusEndpoints
{
    /// <summary><c>GET /status</c>: journal and dispatch progress, for operators and readiness checks.</summary>
    public static IEndpointRouteBuilder MapEngineStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/status", GetStatus)
            .WithName("GetEngineStatus")
            .WithSummary("Journal and dispatch progress; lag 0 means every metric reflects every committed event.");
        return endpoints;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<EngineStatus> GetStatus(IEventJournal journal, JournalDispatcher dispatcher, IDispatchQuarantine quarantine)
    {
        var journaled = journal.HighWaterSequence;
        var dispatched = dispatcher.DispatchedSequence;
        return TypedResults.Ok(new EngineStatus(journaled, dispatched, Math.Max(0, journaled - Math.Max(0, dispatched)), quarantine.Count));
    }
}
