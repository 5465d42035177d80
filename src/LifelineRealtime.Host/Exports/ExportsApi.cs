using System.Collections.Immutable;
using System.Globalization;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Exports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Exports;

/// <summary><c>POST /api/admin/exports</c>: re-export days on demand.</summary>
/// <param name="From">First local day, YYYY-MM-DD.</param>
/// <param name="To">Last local day, YYYY-MM-DD (inclusive).</param>
/// <param name="Tables">Tables to export (default all: conversations, reservations, worker_activity, daily_metrics, events).</param>
/// <param name="Platforms">Platform ids (default all).</param>
public sealed record ExportRequest(string? From, string? To, IReadOnlyList<string>? Tables, IReadOnlyList<string>? Platforms);

/// <summary>The on-demand export endpoints, for admins only (role <c>lifeline.admin</c>).</summary>
public static class ExportsApi
{
    /// <summary>The longest on-demand export, in days (the daily buckets the engine keeps).</summary>
    public const int MaxDays = PlatformSettings.DailyRetentionDays;

    public static IEndpointRouteBuilder MapExportsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup("/api/admin/exports").WithTags("Administration")
            .RequireAuthorization(AccessExtensions.AdminPolicy);
        admin.MapPost("", PostAsync)
            .WithName("StartExport")
            .WithSummary("Exports local days again as Parquet (each partition replaced whole); answers 202 with the export's id and progress.")
            .DisableAntiforgery();
        admin.MapGet("/{id}", GetAsync)
            .WithName("GetExport")
            .WithSummary("An export's state and progress: partitions (table × platform × day) done of total, and its error if it failed.");
        return endpoints;
    }

    public static async Task<Results<Accepted<ExportStatus>, ValidationProblem, ProblemHttpResult>> PostAsync(
        ExportRequest? request, HttpContext http, ExportQueue queue, PlatformCatalog platforms, AuditTrail audit)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (request is null)
        {
            return ApiProblems.BadParameter("from", "the body must be a JSON object with from and to (YYYY-MM-DD), and optionally tables and platforms");
        }

        if (!TryDate(request.From, out var from))
        {
            return ApiProblems.BadParameter("from", $"from '{request.From}' is not a date of the form YYYY-MM-DD ({MetricWindow.SupportedDates})");
        }

        if (!TryDate(request.To, out var to))
        {
            return ApiProblems.BadParameter("to", $"to '{request.To}' is not a date of the form YYYY-MM-DD ({MetricWindow.SupportedDates})");
        }

        if (to < from)
        {
            return ApiProblems.BadParameter("to", $"to {request.To} is before from {request.From}");
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            return ApiProblems.BadParameter("to", $"the export from {request.From} to {request.To} spans {to.DayNumber - from.DayNumber + 1} days; at most {MaxDays}");
        }

        var tables = request.Tables is null or { Count: 0 } ? ExportTables.All : [.. request.Tables.Distinct(StringComparer.Ordinal)];
        if (tables.FirstOrDefault(t => !ExportTables.All.Contains(t)) is { } badTable)
        {
            return ApiProblems.BadParameter("tables", $"table '{badTable}' is not one of {string.Join(", ", ExportTables.All)}");
        }

        var platformIds = request.Platforms is null or { Count: 0 } ? [.. platforms.All.Select(p => p.Id)] : request.Platforms.Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (platformIds.FirstOrDefault(p => !platforms.TryGet(p, out _)) is { } badPlatform)
        {
            return ApiProblems.BadParameter("platforms", $"platform '{badPlatform}' is not configured");
        }

        // Keep the table order of the schema, whatever the request's order.
        var ordered = ExportTables.All.Where(tables.Contains).ToImmutableArray();
        var days = platformIds.SelectMany(p => Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => (p, from.AddDays(i))));
        ExportJob job;
        try
        {
            job = await queue.EnqueueAsync("request", days, ordered, http.RequestAborted);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Export not queued",
                detail: $"the export could not be stored beside the journal ({e.Message}); the journal's state is in /status, and the request can be sent again");
        }

        await audit.RecordAsync(http.User, AuditActions.AdminAction, $"exports/{job.Id}", "queued",
            $"export {request.From}..{request.To} of {string.Join(",", platformIds)}: {string.Join(",", ordered)}");
        return TypedResults.Accepted($"/api/admin/exports/{job.Id}", job.Status);
    }

    public static async Task<Results<Ok<ExportStatus>, ProblemHttpResult>> GetAsync(string id, ExportQueue queue, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(http);
        return await queue.FindAsync(id, http.RequestAborted) is { } job
            ? TypedResults.Ok(job.Status)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown export",
                detail: $"export '{id}' is not known (the latest {SqliteExportJobStore.Kept} finished exports are kept)");
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && MetricWindow.IsSupportedDate(date);
}
