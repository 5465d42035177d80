using System.Globalization;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Storage.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Access.Audit;

/// <summary>A page of the audit log, and where the next one starts.</summary>
/// <param name="Entries">Oldest first.</param>
/// <param name="Next">The <c>after</c> value for the next page, or null when this was the last.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Next);

public static class AuditEndpoints
{
    public const int DefaultLimit = 500;

    /// <summary><c>GET /api/admin/audit?from=&amp;to=&amp;actor=&amp;action=&amp;after=&amp;limit=</c>, admins only.</summary>
    public static IEndpointRouteBuilder MapAuditLog(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/admin/audit", QueryAsync)
            .RequireAuthorization(AccessExtensions.AdminPolicy)
            .WithTags("Administration")
            .WithName("GetAuditLog")
            .WithSummary("The audit log, oldest first: sign-ins, kiosk token changes, transcript views, admin actions and access denied to personal data. from/to are ISO 8601 instants (to exclusive); page on with after=next.")
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> QueryAsync(
        IAuditLog log, CancellationToken cancellationToken, string? from = null, string? to = null, string? actor = null, string? action = null, string? after = null, string? limit = null)
    {
        if (!TryInstant(from, out var fromMs))
        {
            return ApiProblems.BadParameter("from", $"'{from}' is not an ISO 8601 instant with Z or an offset (e.g. 2026-12-07T00:00:00Z).");
        }

        if (!TryInstant(to, out var toMs))
        {
            return ApiProblems.BadParameter("to", $"'{to}' is not an ISO 8601 instant with Z or an offset (e.g. 2026-12-08T00:00:00Z).");
        }

        if (fromMs is { } f && toMs is { } t && t <= f)
        {
            return ApiProblems.BadParameter("to", "to must be after from.");
        }

        var afterId = 0L;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterId)))
        {
            return ApiProblems.BadParameter("after", $"'{after}' is not a line id (the next value of the previous page).");
        }

        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > SqliteAccessStore.MaxQueryLimit))
        {
            return ApiProblems.BadParameter("limit", $"limit must be a whole number from 1 to {SqliteAccessStore.MaxQueryLimit} (got '{limit}').");
        }

        var entries = await log.QueryAsync(new AuditQuery(fromMs, toMs, Blank(actor), Blank(action), afterId, size + 1), cancellationToken);
        var page = entries.Take(size).ToList();
        return TypedResults.Ok(new AuditPage(page, entries.Count > size ? page[^1].Id : null));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool TryInstant(string? value, out long? ms)
    {
        ms = null;
        if (value is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            && (value.EndsWith('Z') || value.Contains('+', StringComparison.Ordinal) || value.LastIndexOf('-') > 9))
        {
            ms = instant.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }
}
