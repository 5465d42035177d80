using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.Backfill;
using LifelineRealtime.Host.Health;
using LifelineRealtime.Storage.Quarantine;
using Microsoft.AspNetCore.Http.HttpResults;

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
/// <param name="Backfill">Whether backfill runs on start and on the schedule, and each platform's last fill and last failure.</param>
public sealed record EngineStatus(long JournalSequence, long DispatchedSequence, long Lag, long MaxDispatchLag, JournalStatus Journal, bool Ready, int Quarantined, BackfillStatus? Backfill = null);

public static class EngineStatusEndpoints
{
    /// <summary>Longest <c>wait</c> a <c>/status</c> request may ask for, in seconds.</summary>
    public const int MaxWaitSeconds = 60;

    /// <summary>
    /// <c>GET /status[?wait=S]</c>: journal state and dispatch progress, for operators. Always 200 but for a bad
    /// <c>wait</c>; the probe is <c>/readyz</c>. With <c>wait</c> (1–60 s) the answer waits until every event
    /// committed when the request arrived has reached the grains, or the seconds pass (the dispatched sequence
    /// then says which; <c>lag</c> may already count events committed meanwhile).
    /// </summary>
    public static IEndpointRouteBuilder MapEngineStatus(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous like readiness, which it details: sequences and journal state, nothing personal.
        endpoints.MapGet("/status", GetStatus)
            .AllowAnonymous()
            .WithName("GetEngineStatus")
            .WithSummary("Journal state and dispatch progress; lag 0 means every metric reflects every committed event.")
            .WithDescription($"wait (optional, 1-{MaxWaitSeconds} seconds): answer once every event committed before the request has been dispatched, or when the seconds pass.");
        return endpoints;
    }

    private static async Task<Results<Ok<EngineStatus>, ValidationProblem>> GetStatus(
        EngineReadiness readiness, IDispatchQuarantine quarantine, BackfillStatusBoard backfill, string? wait, CancellationToken cancellationToken)
    {
        if (wait is not null)
        {
            if (!int.TryParse(wait, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                || seconds is < 1 or > MaxWaitSeconds)
            {
                return ApiProblems.BadParameter("wait", $"wait must be a whole number of seconds from 1 to {MaxWaitSeconds}, not '{wait}'");
            }

            await readiness.WaitForDispatchAsync(TimeSpan.FromSeconds(seconds), cancellationToken);
        }

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
            quarantine.Count,
            await backfill.SnapshotAsync(cancellationToken)));
    }
}
