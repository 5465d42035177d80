using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// <c>GET {scope}/report?from=&amp;to=&amp;interval=day|week|month&amp;format=json|csv</c>: one metrics snapshot per
/// interval, read from the scope's daily buckets in a single grain call.
/// </summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScopes("Reports", (group, route) =>
            group.MapGet("/report", GetReport)
                .WithName($"Get{route.Pascal()}Report")
                .WithSummary($"The {route.Noun}'s metrics per day, ISO week or calendar month between two local dates, as JSON or CSV.")
                .WithDescription($"from, to: {ReportPlan.DateForm}, inclusive, at most {ReportPlan.MaxDays} days; interval: day (default), week or month, "
                    + "the first and last cut to from..to; format: json (default, an array of metrics snapshots) or csv (one line per interval "
                    + "and support type plus a total line; columns in docs/api.md).")
                .Produces<ImmutableArray<MetricsSnapshot>>(StatusCodes.Status200OK, "application/json", MetricsCsv.ContentType)
                .ProducesValidationProblem());
        return endpoints;
    }

    public static async Task<Results<JsonHttpResult<ImmutableArray<MetricsSnapshot>>, ContentHttpResult, ValidationProblem>> GetReport(
        ApiScope scope, IGrainFactory grains, string? from, string? to, string? interval, string? format)
    {
        if (!ReportPlan.TryParseDate(from, out var first))
        {
            return ApiProblems.BadParameter("from", $"from '{from}' is not a date of the form {ReportPlan.DateForm}");
        }

        if (!ReportPlan.TryParseDate(to, out var last))
        {
            return ApiProblems.BadParameter("to", $"to '{to}' is not a date of the form {ReportPlan.DateForm}");
        }

        if (!MetricWindow.IsSupportedDate(first))
        {
            return ApiProblems.BadParameter("from", $"from '{from}' is outside the dates this engine computes ({MetricWindow.SupportedDates})");
        }

        if (!MetricWindow.IsSupportedDate(last))
        {
            return ApiProblems.BadParameter("to", $"to '{to}' is outside the dates this engine computes ({MetricWindow.SupportedDates})");
        }

        if (!ReportPlan.TryParseInterval(interval, out var period))
        {
            return ApiProblems.BadParameter("interval", $"interval '{interval}' is not one of day, week, month");
        }

        var csv = format switch
        {
            null or "json" => false,
            "csv" => true,
            _ => (bool?)null,
        };
        if (csv is null)
        {
            return ApiProblems.BadParameter("format", $"format '{format}' is not one of json, csv");
        }

        if (!ReportPlan.TryCreate(first, last, period, out var windows, out var error))
        {
            return ApiProblems.BadParameter("to", error);
        }

        var snapshots = await grains.GetGrain<IStatsGrain>(scope.Key.ToGrainKey()).GetMetricsAsync(windows);
        return csv.Value
            ? TypedResults.Text(MetricsCsv.Write(snapshots), MetricsCsv.ContentType)
            : TypedResults.Json(snapshots, LifelineJson.Options);
    }
}
