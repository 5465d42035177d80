using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// Windowed metrics, logged status and live state of a platform, queue, team or worker (design §7). Each
/// answer is one read of that scope's stats grain, serialized with <see cref="LifelineJson.Options"/> so the
/// JSON is exactly the domain's shape.
/// </summary>
public static class MetricsApi
{
    private const string WindowForms = "15m, 1h, today, day:YYYY-MM-DD, week:YYYY-Www, month:YYYY-MM or range:YYYY-MM-DD..YYYY-MM-DD";

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScopes("Metrics", (group, route) =>
        {
            group.MapGet("/metrics", GetMetrics)
                .WithName($"Get{route.Pascal()}Metrics")
                .WithSummary($"Measures and rates of the {route.Noun} in a window, in total and per support type.")
                .WithDescription($"window: {WindowForms} (default today, in the platform's time zone).")
                .Produces<MetricsSnapshot>(StatusCodes.Status200OK)
                .ProducesValidationProblem();

            group.MapGet("/logged-status", GetLoggedStatus)
                .WithName($"Get{route.Pascal()}LoggedStatus")
                .WithSummary($"Seconds and share of logged-in time per activity for the {route.Noun} in a window"
                    + (route.Kind is Domain.Metrics.ScopeKind.Team or Domain.Metrics.ScopeKind.Platform ? ", with one row per worker." : "."))
                .WithDescription($"window: {WindowForms} (default today).")
                .Produces<LoggedStatusSnapshot>(StatusCodes.Status200OK)
                .ProducesValidationProblem();

            group.MapGet("/live", GetLive)
                .WithName($"Get{route.Pascal()}Live")
                .WithSummary($"The {route.Noun} now: tasks per status, waiting tasks with their longest wait, workers per activity, stuck tasks.")
                .Produces<LiveSnapshot>(StatusCodes.Status200OK);

            if (route.Kind == Domain.Metrics.ScopeKind.Worker)
            {
                group.MapGet("/timeline", GetTimeline)
                    .WithName("GetWorkerTimeline")
                    .WithSummary("The worker's activities in a window, in time order; the current one runs to now.")
                    .WithDescription($"window: {WindowForms} (default today), starting within the last {RetainedHours} hours: older activity is kept only as logged-status totals.")
                    .Produces<WorkerTimelineSnapshot>(StatusCodes.Status200OK)
                    .ProducesValidationProblem();
            }
        });
        return endpoints;
    }

    public static async Task<Results<JsonHttpResult<MetricsSnapshot>, ValidationProblem>> GetMetrics(
        ApiScope scope, IGrainFactory grains, string? window)
    {
        if (!TryWindow(window, out var name, out var problem))
        {
            return problem;
        }

        var snapshot = await grains.GetGrain<IStatsGrain>(scope.Key.ToGrainKey()).GetMetricsAsync(name);
        return TypedResults.Json(snapshot, LifelineJson.Options);
    }

    public static async Task<Results<JsonHttpResult<LoggedStatusSnapshot>, ValidationProblem>> GetLoggedStatus(
        ApiScope scope, IGrainFactory grains, string? window)
    {
        if (!TryWindow(window, out var name, out var problem))
        {
            return problem;
        }

        var snapshot = await grains.GetGrain<IStatsGrain>(scope.Key.ToGrainKey()).GetLoggedStatusAsync(name);
        return TypedResults.Json(snapshot, LifelineJson.Options);
    }

    public static async Task<JsonHttpResult<LiveSnapshot>> GetLive(ApiScope scope, IGrainFactory grains)
    {
        var snapshot = await grains.GetGrain<IStatsGrain>(scope.Key.ToGrainKey()).GetLiveAsync();
        return TypedResults.Json(snapshot, LifelineJson.Options);
    }

    private const long RetainedHours = Domain.Lifecycle.WorkerTimeline.RetainedMs / 3_600_000;

    public static async Task<Results<JsonHttpResult<WorkerTimelineSnapshot>, ValidationProblem>> GetTimeline(
        ApiScope scope, IGrainFactory grains, PlatformCatalog platforms, TimeProvider time, string? window)
    {
        if (!TryWindow(window, out var name, out var problem))
        {
            return problem;
        }

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!Domain.Lifecycle.WorkerTimeline.Holds(MetricWindow.Parse(name).Resolve(platforms.Get(scope.PlatformId), nowMs).StartMs, nowMs))
        {
            return ApiProblems.BadParameter("window", $"window '{name}' starts more than {RetainedHours} hours ago: an agent's activity timeline is kept that long (older activity is in logged-status)");
        }

        var snapshot = await grains.GetGrain<IWorkerGrain>(new EntityKey(scope.PlatformId, scope.Id).ToGrainKey()).GetTimelineAsync(name);
        return TypedResults.Json(snapshot, LifelineJson.Options);
    }

    /// <summary>Validates here, not in the grain: a bad window is the caller's 400, never a grain exception.</summary>
    private static bool TryWindow(string? window, out string name, out ValidationProblem problem)
    {
        name = window ?? MetricWindow.Today.Name;
        if (MetricWindow.TryParse(name, out _, out var error))
        {
            problem = null!;
            return true;
        }

        problem = ApiProblems.BadParameter("window", error);
        return false;
    }
}
