using LifelineRealtime.Host.Access;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LifelineRealtime.Host.Api;

public static class LifelineApiExtensions
{
    /// <summary>
    /// The read API's services: problem details for every error, the OpenAPI document and the access seam
    /// (<see cref="IScopeAccess"/>, design §8).
    /// </summary>
    public static IHostApplicationBuilder AddMetricsApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options => options.AddOperationTransformer<RouteParameterTransformer>());
        builder.Services.TryAddSingleton<KnownScopes>();
        builder.Services.TryAddSingleton<ScopeGate>();
        return builder;
    }

    /// <summary>Every read endpoint under <c>/api</c> and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi();
        endpoints.MapPlatformsEndpoints();
        endpoints.MapMetricsEndpoints();
        endpoints.MapReportsEndpoints();
        return endpoints;
    }
}
