using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LifelineRealtime.Host.Health;

public static class EngineHealthExtensions
{
    /// <summary>Tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the readiness checks: <c>journal</c> (can commit), <c>dispatch</c> (lag within <c>Lifeline:Health:MaxDispatchLag</c>) and <c>silo</c> (active).</summary>
    public static IHostApplicationBuilder AddEngineHealth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<EngineReadiness>();
        builder.Services.AddHealthChecks()
            .AddCheck<JournalHealthCheck>("journal", tags: [ReadyTag])
            .AddCheck<DispatchLagHealthCheck>("dispatch", tags: [ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        return builder;
    }
}

public static class EngineHealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>
    /// <c>GET /healthz</c>, liveness: 200 while the process serves HTTP; it runs no check, so a failing journal
    /// (which a restart would not mend, and which recovers by itself) never gets the pod killed.
    /// <c>GET /readyz</c>, readiness: 200 when every readiness check is healthy (or degraded), 503 while the
    /// journal cannot commit or the dispatch lag is over the limit; the body names each check.
    /// </summary>
    public static IEndpointRouteBuilder MapEngineHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .WithName("GetLiveness")
            .AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(EngineHealthExtensions.ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        }).WithName("GetReadiness").AllowAnonymous();
        return endpoints;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}
