using System.Globalization;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Backfill;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Backfill;

/// <summary>An on-demand fill: a platform and the period [from, to) of event times to read back.</summary>
public sealed record BackfillRequest(string? Platform, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Recent fills, newest first.</summary>
public sealed record BackfillListing(IReadOnlyList<FillView> Records);

/// <summary>What an on-demand fill did: one record per period read (and one for a part older than TaskRouter keeps).</summary>
public sealed record BackfillRun(IReadOnlyList<FillView> Records);

public static class BackfillEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>A <c>to</c> this far past the host's clock is taken as "now" (clocks differ by seconds).</summary>
    private static readonly TimeSpan ClockGrace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>GET /api/admin/backfill[?platform=&amp;limit=]</c> lists recent fills; <c>POST /api/admin/backfill</c> with
    /// <c>{platform, from, to}</c> fills that period now and answers its records. Admins only; the POST is audited.
    /// </summary>
    public static IEndpointRouteBuilder MapBackfillAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup("/api/admin/backfill").WithTags("Administration")
            .RequireAuthorization(AccessExtensions.AdminPolicy);
        admin.MapGet("", ListAsync)
            .WithName("GetBackfill")
            .WithSummary("Recent backfill fills, newest first: platform, period, pages, events seen/new/duplicate/refused/unparsable, outcome and reason.")
            .ProducesValidationProblem();
        admin.MapPost("", FillAsync)
            .WithName("RunBackfill")
            .WithSummary("Reads TaskRouter's events of one platform for [from, to) into the journal now (within the last 30 days) and answers the fill's record. Duplicates are harmless.")
            .ProducesValidationProblem()
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<Results<Ok<BackfillListing>, ValidationProblem>> ListAsync(
        IBackfillRecords records, PlatformCatalog platforms, CancellationToken cancellationToken, string? platform = null, string? limit = null)
    {
        if (platform is not null && !platforms.TryGet(platform, out _))
        {
            return ApiProblems.BadParameter("platform", $"No platform '{Truncate(platform)}' is configured.");
        }

        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            return ApiProblems.BadParameter("limit", $"limit must be a whole number from 1 to {MaxLimit} (got '{Truncate(limit)}').");
        }

        var recent = await records.RecentAsync(platform, size, cancellationToken);
        return TypedResults.Ok(new BackfillListing([.. recent.Select(FillView.Of)]));
    }

    private static async Task<Results<Ok<BackfillRun>, ValidationProblem>> FillAsync(
        BackfillRequest? request, BackfillService backfill, PlatformCatalog platforms, IOptions<BackfillOptions> options,
        TimeProvider time, AuditTrail audit, HttpContext context, IHostApplicationLifetime lifetime)
    {
        if (request?.Platform is not { Length: > 0 } platform || !platforms.TryGet(platform, out _))
        {
            return ApiProblems.BadParameter("platform", request?.Platform is { Length: > 0 } p ? $"No platform '{Truncate(p)}' is configured." : "platform is required.");
        }

        if (request.From is not { } from)
        {
            return ApiProblems.BadParameter("from", "from is required: an ISO 8601 instant (e.g. 2026-12-07T00:00:00Z).");
        }

        if (request.To is not { } to)
        {
            return ApiProblems.BadParameter("to", "to is required: an ISO 8601 instant (e.g. 2026-12-07T01:00:00Z).");
        }

        if (to <= from)
        {
            return ApiProblems.BadParameter("to", "to must be after from.");
        }

        var now = time.GetUtcNow();
        var lookBack = options.Value.MaxLookBack;
        if (from < now - lookBack)
        {
            return ApiProblems.BadParameter("from", $"from must be within the last {lookBack.TotalDays:0.##} days (Lifeline:Backfill:MaxLookBack; TaskRouter keeps events 30 days): not before {Iso(now - lookBack)}.");
        }

        if (to > now + ClockGrace)
        {
            return ApiProblems.BadParameter("to", $"to must not be in the future (now is {Iso(now)}).");
        }

        // The fill is the engine's work, not the request's: a client that goes away does not cut it short.
        var records = await backfill.FillNowAsync(platform, from, to < now ? to : now, lifetime.ApplicationStopping);
        var outcome = records.All(r => r.Outcome == FillOutcome.Ok) ? "ok" : "failed";
        await audit.RecordAsync(context.User, AuditActions.AdminAction, "backfill:" + platform, outcome,
            $"fill {Iso(from)}..{Iso(to)}: " + string.Join("; ", records.Select(r =>
                $"#{r.Id} {SqliteBackfillRecords.Name(r.Outcome)}, {r.New} new, {r.Duplicate} duplicate, {r.Refused} refused, {r.Unparsable} unparsable")));
        return TypedResults.Ok(new BackfillRun([.. records.Select(FillView.Of)]));
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];
}
