using System.Collections.Immutable;
using System.Globalization;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Reconciliation;
using LifelineRealtime.Host.TaskRouterRest;
using LifelineRealtime.Storage.Reconciliation;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Reconciliation;

/// <summary>
/// Reconciles one platform's local day: every queue TaskRouter lists, ours (the queue's day metrics from its stats
/// grain) against TaskRouter's <c>CumulativeStatistics</c> for [local 00:00, next local 00:00) in UTC, compared by
/// <see cref="QueueReconciliation"/>; stored whole (replacing an earlier run of the day). A queue that fails is
/// recorded as failed with the reason and the others go on. Runs of one host are one at a time.
/// </summary>
public sealed class Reconciler(
    ITaskRouterRest taskRouter,
    IGrainFactory grains,
    PlatformCatalog platforms,
    IReconciliationStore store,
    IOptions<ReconciliationOptions> options,
    ReconciliationInstruments instruments,
    TimeProvider time,
    ILogger<Reconciler> logger) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The UTC period of a platform's local day: [its 00:00, the next day's 00:00).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period(PlatformSettings platform, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return (DateTimeOffset.FromUnixTimeMilliseconds(platform.LocalDayStartMs(date)), DateTimeOffset.FromUnixTimeMilliseconds(platform.LocalDayStartMs(date.AddDays(1))));
    }

    public async Task<ReconciliationRun> RunAsync(string platformId, DateOnly date, CancellationToken cancellationToken)
    {
        var platform = platforms.Get(platformId);
        var (from, to) = Period(platform, date);
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tolerance = options.Value.ToTolerance();
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            ImmutableArray<TaskRouterQueue> queues;
            try
            {
                queues = await taskRouter.ListQueuesAsync(platformId, cancellationToken);
            }
            catch (TaskRouterRestException e)
            {
                ReconciliationLog.ListingFailed(logger, platformId, day, e.Message);
                return await SaveAsync(new ReconciliationRun(platformId, date, from, to, Now(), ReconciliationOutcomes.Failed, e.Message, []), 0, cancellationToken);
            }

            var results = ImmutableArray.CreateBuilder<QueueReconciliationResult>(queues.Length);
            foreach (var queue in queues.OrderBy(q => q.FriendlyName, StringComparer.Ordinal).ThenBy(q => q.Sid, StringComparer.Ordinal))
            {
                results.Add(await QueueAsync(platformId, day, queue, from, to, tolerance, cancellationToken));
            }

            var failed = results.Count(r => r.Outcome != ReconciliationOutcomes.Ok);
            var outcome = failed == 0 ? ReconciliationOutcomes.Ok : failed == results.Count ? ReconciliationOutcomes.Failed : ReconciliationOutcomes.Partial;
            return await SaveAsync(new ReconciliationRun(platformId, date, from, to, Now(), outcome, null, results.DrainToImmutable()), failed, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<QueueReconciliationResult> QueueAsync(
        string platformId, string day, TaskRouterQueue queue, DateTimeOffset from, DateTimeOffset to, ReconciliationTolerance tolerance, CancellationToken cancellationToken)
    {
        try
        {
            var statistics = await taskRouter.FetchQueueStatisticsAsync(platformId, queue.Sid, from, to, cancellationToken);
            if ((statistics.StartTime is { } start && start != from) || (statistics.EndTime is { } end && end != to))
            {
                // TaskRouter clips a period it no longer holds (35 days back): a partial day compared would only mislead.
                throw new TaskRouterRestException(TaskRouterFailure.Refused, null, null,
                    $"TaskRouter answered for {statistics.StartTime:O}..{statistics.EndTime:O}, not the day asked ({from:O}..{to:O})");
            }

            var snapshot = await grains.GetGrain<IStatsGrain>(new StatsKey(platformId, ScopeKind.Queue, queue.Sid).ToGrainKey()).GetMetricsAsync($"day:{day}");
            var measures = QueueReconciliation.Compare(ReconciliationMapping.Ours(snapshot.Totals), Theirs(statistics), tolerance);
            foreach (var m in measures.Where(m => !m.Within))
            {
                ReconciliationLog.Mismatch(logger, platformId, day, queue.Sid, m.Measure, m.Ours, m.Theirs, m.Difference, m.Allowed);
                instruments.Mismatch(platformId, m.Measure);
            }

            return new QueueReconciliationResult(queue.Sid, queue.FriendlyName, ReconciliationOutcomes.Ok, null, measures);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e is TaskRouterRestException ? e.Message : $"our figures could not be read: {e.GetType().Name}: {e.Message}";
            ReconciliationLog.QueueFailed(logger, platformId, day, queue.Sid, reason);
            return new QueueReconciliationResult(queue.Sid, queue.FriendlyName, ReconciliationOutcomes.Failed, reason, []);
        }
    }

    private async Task<ReconciliationRun> SaveAsync(ReconciliationRun run, int failed, CancellationToken cancellationToken)
    {
        await store.SaveAsync(run, cancellationToken);
        instruments.Run(run.PlatformId, run.Outcome);
        var day = run.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        ReconciliationLog.Reconciled(logger, run.PlatformId, day, run.Queues.Length, failed, run.Mismatches, run.Outcome);
        return run;
    }

    public void Dispose() => _oneAtATime.Dispose();

    /// <summary>To the millisecond, as it is stored, so an answer and its read-back agree.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>TaskRouter's figures, in the domain's terms.</summary>
    public static QueueFigures Theirs(TaskQueueStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new QueueFigures(s.TasksEntered, s.TasksCanceled, s.ReservationsCreated, s.ReservationsAccepted, s.ReservationsRejected, s.ReservationsTimedOut,
            s.WaitDurationUntilAcceptedTotalSeconds);
    }
}
