using System.Collections.Immutable;
using LifelineRealtime.Domain.Reconciliation;

namespace LifelineRealtime.Storage.Reconciliation;

/// <summary>
/// Reconciliation results, one per platform and local day: storing a day again replaces it whole, so a re-run
/// never leaves a queue of an earlier run behind.
/// </summary>
public interface IReconciliationStore
{
    Task SaveAsync(ReconciliationRun run, CancellationToken cancellationToken = default);

    /// <summary>The run for a platform's local day, or null when it has not been reconciled.</summary>
    Task<ReconciliationRun?> GetAsync(string platformId, DateOnly date, CancellationToken cancellationToken = default);

    /// <summary>The platform's most recent days reconciled, newest day first.</summary>
    Task<IReadOnlyList<ReconciliationRunSummary>> RecentAsync(string platformId, int limit, CancellationToken cancellationToken = default);
}

/// <summary>How a run, or one queue of it, ended.</summary>
public static class ReconciliationOutcomes
{
    /// <summary>Compared (within tolerance or not: that is in the measures).</summary>
    public const string Ok = "ok";

    /// <summary>TaskRouter (or our own read) failed; the reason says why.</summary>
    public const string Failed = "failed";

    /// <summary>A run where some queues were compared and some failed.</summary>
    public const string Partial = "partial";
}

/// <summary>One platform's reconciliation of one local day.</summary>
/// <param name="PlatformId">The platform.</param>
/// <param name="Date">The local day, in the platform's zone.</param>
/// <param name="From">Its start (local 00:00) in UTC.</param>
/// <param name="To">Its end (the next local 00:00) in UTC.</param>
/// <param name="RanAt">When the run finished (host clock).</param>
/// <param name="Outcome"><see cref="ReconciliationOutcomes"/>.</param>
/// <param name="Reason">Why the run failed as a whole (the queues could not be listed); null otherwise.</param>
/// <param name="Queues">Every queue TaskRouter listed, by Sid.</param>
public sealed record ReconciliationRun(
    string PlatformId,
    DateOnly Date,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset RanAt,
    string Outcome,
    string? Reason,
    ImmutableArray<QueueReconciliationResult> Queues)
{
    public int Mismatches => Queues.Sum(q => q.Measures.Count(m => !m.Within));
}

/// <summary>One queue of a run: compared (<see cref="ReconciliationOutcomes.Ok"/>, with every measure) or failed with a reason (no measures).</summary>
public sealed record QueueReconciliationResult(string TaskQueueSid, string TaskQueueName, string Outcome, string? Reason, ImmutableArray<MeasureComparison> Measures);

/// <summary>A run in a list of recent days.</summary>
public sealed record ReconciliationRunSummary(DateOnly Date, DateTimeOffset RanAt, string Outcome, int Queues, int FailedQueues, int Mismatches);
