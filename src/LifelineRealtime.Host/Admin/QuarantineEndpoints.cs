using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Quarantine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Admin;

/// <summary>The records set aside, as an administrator reads them.</summary>
/// <param name="Count">How many records are set aside.</param>
/// <param name="Records">Each record: sequence, platform, event Sid and type, error, when, attempts.</param>
public sealed record QuarantineListing(int Count, IReadOnlyList<QuarantinedRecord> Records);

/// <summary>What one re-apply did.</summary>
/// <param name="Applied">Records applied and taken out of the quarantine.</param>
/// <param name="Remaining">Records still set aside, with their latest error.</param>
public sealed record QuarantineReapplyOutcome(int Applied, IReadOnlyList<QuarantinedRecord> Remaining);

public static class QuarantineEndpoints
{
    /// <summary>
    /// <c>GET /api/admin/quarantine</c> lists the journal records dispatch set aside;
    /// <c>POST /api/admin/quarantine/reapply</c> applies them again (after a fix) and answers what is left.
    /// </summary>
    public static IEndpointRouteBuilder MapQuarantineAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup("/api/admin/quarantine").WithTags("Administration")
            .RequireAuthorization(AccessExtensions.AdminPolicy);
        admin.MapGet("", ListAsync)
            .WithName("GetQuarantine")
            .WithSummary("Journal records set aside by dispatch: sequence, event Sid, error and time. They are in the journal, not in any metric.");
        admin.MapPost("/reapply", ReapplyAsync)
            .WithName("ReapplyQuarantine")
            .WithSummary("Applies every record set aside again, in sequence order; those that still fail stay, with their latest error.")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<Ok<QuarantineListing>> ListAsync(IDispatchQuarantine quarantine, CancellationToken cancellationToken)
    {
        var records = await quarantine.ListAsync(cancellationToken);
        return TypedResults.Ok(new QuarantineListing(records.Count, records));
    }

    private static async Task<Ok<QuarantineReapplyOutcome>> ReapplyAsync(JournalDispatcher dispatcher, HttpContext context, AuditTrail audit, CancellationToken cancellationToken)
    {
        var result = await dispatcher.ReapplyQuarantineAsync(cancellationToken);
        await audit.RecordAsync(context.User, AuditActions.AdminAction, "quarantine", "ok", $"reapply: {result.Applied} applied, {result.Remaining.Count} remaining");
        return TypedResults.Ok(new QuarantineReapplyOutcome(result.Applied, result.Remaining));
    }
}
