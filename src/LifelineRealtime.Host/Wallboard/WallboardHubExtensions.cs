using System.Text.Json;
using LifelineRealtime.Domain.Snapshots;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LifelineRealtime.Host.Wallboard;

public static class WallboardHubExtensions
{
    public const string HubPath = "/hubs/wallboard";

    /// <summary>
    /// SignalR with the snapshot JSON shape of the HTTP API (<see cref="LifelineJson"/>), the per-silo
    /// subscriptions that forward push grains' updates, and the scope access seam (allow-all until sign-in).
    /// </summary>
    public static IHostApplicationBuilder AddWallboardHub(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions = new JsonSerializerOptions(LifelineJson.Options));
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HubInstruments>();
        builder.Services.AddSingleton<WallboardSubscriptions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WallboardSubscriptions>());
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardHub(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHub<WallboardHub>(HubPath).RequireAuthorization(Access.AccessExtensions.ReaderPolicy);
        return endpoints;
    }
}
