using System.Collections.Immutable;
using System.Globalization;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Reconciliation;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Reconciliation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Reconciliation;

/// <summary>One measure of a queue's day as the API shows it: the comparison, and what it is compared with.</summary>
/// <param name="Measure">TaskRouter's name.</param>
/// <param name="OurMeasure">Our measure, as a path in the queue's day metrics.</param>
/// <param name="Ours">Our figure.</param>
/// <param name="Theirs">TaskRouter's figure.</param>
/// <param name="Difference">Ours − theirs.</param>
/// <param name="Allowed">The largest difference the tolerance allows for TaskRouter's figure.</param>
/// <param name="Within">Whether the difference is within it.</param>
public sealed record ReconciledMeasureView(string Measure, string OurMeasure, double Ours, double Theirs, double Difference, double Allowed, bool Within);

public sealed record ReconciledQueueView(string TaskQueueSid, string Name, string Outcome, string? Reason, int Mismatches, ImmutableArray<ReconciledMeasureView> Measures);

/// <summary>A platform's reconciliation of one local day.</summary>
public sealed record ReconciliationView(
    string Platform,
    DateOnly Date,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset RanAt,
    string Outcome,
    string? Reason,
    int Mismatches,
    ImmutableArray<ReconciledQueueView> Queues);

/// <summary>The mapping the comparison uses, so a reader sees what "ours" means for each measure.</summary>
public sealed record MeasureMappingView(string Measure, string OurMeasure, string KnownDifference, double Absolute, double Relative);

/// <summary><c>GET …/reconciliation</c> without a date: the latest day in full, the recent days in brief, the mapping and the schedule.</summary>
public sealed record ReconciliationIndex(
    string Platform,
    string TimeZone,
    bool Nightly,
    string RunAt,
    DateTimeOffset? NextRunAt,
    ReconciliationView? Latest,
    IReadOnlyList<ReconciliationRunSummary> Recent,
    ImmutableArray<MeasureMappingView> Mapping);

/// <summary>The body of <c>POST …/reconciliation</c>.</summary>
public sealed record ReconciliationRequest(string? Date);

/// <summary>
/// <c>GET /api/platforms/{p}/reconciliation[?date=YYYY-MM-DD]</c> and <c>POST /api/platforms/{p}/reconciliation</c>
/// (<c>{ "date": "YYYY-MM-DD" }</c>, a closed local day): admins only (design §8); the run is audited.
/// </summary>
public static class ReconciliationApi
{
    public static IEndpointRouteBuilder MapReconciliationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/platforms/{platformId}/reconciliation").WithTags("Reconciliation")
            .RequireAuthorization(AccessExtensions.AdminPolicy);
        group.MapGet("", GetAsync)
            .WithName("GetReconciliation")
            .WithSummary("A local day's comparison of each queue's counts with TaskRouter's cumulative statistics; without a date, the latest day, the recent days and the mapping.")
            .Produces<ReconciliationView>(StatusCodes.Status200OK)
            .Produces<ReconciliationIndex>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("", RunAsync)
            .WithName("RunReconciliation")
            .WithSummary("Reconciles a closed local day now (replacing an earlier result of that day) and answers the result.")
            .Produces<ReconciliationView>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DisableAntiforgery();
        return endpoints;
    }

    public static async Task<Results<Ok<ReconciliationView>, Ok<ReconciliationIndex>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string platformId, string? date, PlatformCatalog platforms, IReconciliationStore store, IOptions<ReconciliationOptions> options,
        NightlyReconciliation nightly, CancellationToken cancellationToken)
    {
        if (!platforms.TryGet(platformId, out var platform))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        if (date is not null)
        {
            if (!TryDate(date, out var day, out var problem))
            {
                return problem;
            }

            return await store.GetAsync(platformId, day, cancellationToken) is { } run
                ? TypedResults.Ok(View(platform, run))
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not reconciled",
                    detail: $"{date} has not been reconciled on platform '{platformId}'");
        }

        var recent = await store.RecentAsync(platformId, options.Value.RecentDays, cancellationToken);
        var latest = recent.Count == 0 ? null : await store.GetAsync(platformId, recent[0].Date, cancellationToken);
        var tolerance = options.Value.ToTolerance();
        return TypedResults.Ok(new ReconciliationIndex(
            platformId,
            platform.TimeZoneName,
            options.Value.Enabled,
            options.Value.RunAt,
            nightly.Next.FirstOrDefault(n => n.PlatformId == platformId)?.At,
            latest is null ? null : View(platform, latest),
            recent,
            [.. ReconciliationMapping.All.Select(m => tolerance.For(m) is var t ? new MeasureMappingView(m.Name, m.Ours, m.KnownDifference, t.Absolute, t.Relative) : null!)]));
    }

    public static async Task<Results<Ok<ReconciliationView>, ValidationProblem, ProblemHttpResult>> RunAsync(
        string platformId, ReconciliationRequest? request, HttpContext http, PlatformCatalog platforms, Reconciler reconciler,
        IOptions<ReconciliationOptions> options, TimeProvider time, AuditTrail audit)
    {
        if (!platforms.TryGet(platformId, out var platform))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        if (!TryDate(request?.Date, out var day, out var problem))
        {
            return problem;
        }

        var today = platform.LocalDate(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (day >= today)
        {
            return ApiProblems.BadParameter("date", $"{request!.Date} has not closed yet on platform '{platformId}' (today there is {today:yyyy-MM-dd} in {platform.TimeZoneName}): only a past local day can be reconciled.");
        }

        if (day < today.AddDays(-options.Value.MaxDaysBack))
        {
            return ApiProblems.BadParameter("date", $"{request!.Date} is more than {options.Value.MaxDaysBack} days back (Lifeline:Reconciliation:MaxDaysBack): TaskRouter keeps cumulative statistics 35 days.");
        }

        var run = await reconciler.RunAsync(platformId, day, http.RequestAborted);
        await audit.RecordAsync(http.User, AuditActions.AdminAction, $"reconciliation/{platformId}/{request!.Date}", run.Outcome,
            $"{run.Queues.Length} queues, {run.Mismatches} measures beyond tolerance");
        return TypedResults.Ok(View(platform, run));
    }

    private static ReconciliationView View(PlatformSettings platform, ReconciliationRun run) => new(
        run.PlatformId, run.Date, platform.TimeZoneName, run.From, run.To, run.RanAt, run.Outcome, run.Reason, run.Mismatches,
        [.. run.Queues.Select(q => new ReconciledQueueView(q.TaskQueueSid, q.TaskQueueName, q.Outcome, q.Reason, q.Measures.Count(m => !m.Within),
            [.. q.Measures.Select(m => new ReconciledMeasureView(m.Measure, OurMeasure(m.Measure), m.Ours, m.Theirs, m.Difference, m.Allowed, m.Within))]))]);

    private static string OurMeasure(string measure) => ReconciliationMapping.All.FirstOrDefault(m => m.Name == measure)?.Ours ?? "";

    private static bool TryDate(string? text, out DateOnly day, out ValidationProblem problem)
    {
        problem = null!;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }

        problem = ApiProblems.BadParameter("date", $"date must be a local day as YYYY-MM-DD (got '{text}').");
        return false;
    }
}
