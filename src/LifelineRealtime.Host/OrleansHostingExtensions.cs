using System.Net;
using System.Net.Sockets;
using LifelineRealtime.Grains;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Grains.Persistence;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Grains.Stats;
using LifelineRealtime.Host.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace LifelineRealtime.Host;

/// <summary>Settings of the co-hosted Orleans silo (<c>Lifeline:Orleans</c>).</summary>
public sealed class LifelineSiloOptions
{
    public const string SectionName = "Lifeline:Orleans";

    /// <summary>Silo-to-silo port; 0 picks a free port (embedded mode has one silo).</summary>
    public int SiloPort { get; set; }

    /// <summary>Port for external Orleans clients; 0 picks a free port.</summary>
    public int GatewayPort { get; set; }

    public string ClusterId { get; set; } = "lifeline";

    public string ServiceId { get; set; } = "lifeline-realtime";

    /// <summary>
    /// Grain locations remembered by the silo. Orleans keeps a million by default, and every task is a
    /// grain seen once, so the cache grew with traffic for days; finished tasks are rarely looked up again.
    /// </summary>
    public int DirectoryCacheSize { get; set; } = 50_000;

    /// <summary>
    /// The Orleans Dashboard (silos, grain activations, calls per grain method) at <see cref="DashboardPath"/>,
    /// for admins only. Off unless asked: it times every grain call and keeps every log line it may show.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>Where the dashboard is served.</summary>
    public const string DashboardPath = "/admin/orleans";
}

public static class OrleansHostingExtensions
{
    /// <summary>
    /// Co-hosts the Orleans silo: localhost clustering in embedded mode, grain state in a SQLite file beside
    /// the journal (<c>Lifeline:Storage:GrainStatePath</c>, default <c>&lt;journal&gt;-grains.db</c>), and the
    /// dispatcher that moves committed journal records to the grains (<c>Lifeline:Dispatch</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLifelineSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var silo = builder.Configuration.GetSection(LifelineSiloOptions.SectionName).Get<LifelineSiloOptions>() ?? new LifelineSiloOptions();
        builder.Services.TryAddSingleton(sp => new PlatformCatalog(sp.GetRequiredService<IOptions<LifelineOptions>>().Value.Platforms));
        builder.Services.AddOptions<DispatchOptions>()
            .Bind(builder.Configuration.GetSection(DispatchOptions.SectionName))
            .Validate(o => o.BatchSize >= 1, $"{DispatchOptions.SectionName}:BatchSize must be at least 1")
            .Validate(o => o.FlushInterval > TimeSpan.Zero, $"{DispatchOptions.SectionName}:FlushInterval must be positive")
            .Validate(o => o.IdleCheckpointDelay >= TimeSpan.Zero, $"{DispatchOptions.SectionName}:IdleCheckpointDelay must not be negative")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero, $"{DispatchOptions.SectionName}:RetryDelay must not be negative")
            .ValidateOnStart();
        builder.Services.AddOptions<LiveOptions>()
            .Bind(builder.Configuration.GetSection(LiveOptions.SectionName))
            .Validate(o => o.MaxListed is >= 1 and <= LiveOptions.MaxListedLimit, $"{LiveOptions.SectionName}:MaxListed must be between 1 and {LiveOptions.MaxListedLimit}")
            .ValidateOnStart();
        builder.UseOrleans(siloBuilder =>
        {
            siloBuilder.UseLocalhostClustering(
                siloPort: silo.SiloPort == 0 ? FreePort() : silo.SiloPort,
                gatewayPort: silo.GatewayPort == 0 ? FreePort() : silo.GatewayPort,
                serviceId: silo.ServiceId,
                clusterId: silo.ClusterId);
            siloBuilder.Configure<GrainDirectoryOptions>(o => o.CacheSize = silo.DirectoryCacheSize);
            siloBuilder.AddLifelineGrains(GrainStatePath(builder.Configuration, builder.Environment));
            if (silo.Dashboard)
            {
                siloBuilder.AddDashboard();
            }
        });

        // Read the path again when the storage is built: configuration added after this call (a test host's
        // private journal file, for one) must move the grain state with it, or hosts would share one file.
        builder.Services.AddOptions<SqliteGrainStorageOptions>(OrleansNames.StateStorage)
            .PostConfigure<IConfiguration, IHostEnvironment>((options, configuration, environment) => options.Path = GrainStatePath(configuration, environment));
        return builder;
    }

    /// <summary>The Orleans Dashboard at <see cref="LifelineSiloOptions.DashboardPath"/> for admins, when <c>Lifeline:Orleans:Dashboard</c> is on.</summary>
    public static IEndpointRouteBuilder MapOrleansDashboardForAdmins(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (configuration.GetSection(LifelineSiloOptions.SectionName).Get<LifelineSiloOptions>() is { Dashboard: true })
        {
            endpoints.MapOrleansDashboard(LifelineSiloOptions.DashboardPath)
                .WithTags("Administration")
                .RequireAuthorization(Access.AccessExtensions.AdminPolicy);
        }

        return endpoints;
    }

    private static string GrainStatePath(IConfiguration configuration, IHostEnvironment environment)
    {
        var storage = configuration.GetSection("Lifeline:Storage").Get<StorageOptions>() ?? new StorageOptions();
        return storage.GrainStatePath is { Length: > 0 } configured
            ? Path.Combine(environment.ContentRootPath, configured)
            : storage.BesideJournal(environment.ContentRootPath, "-grains.db");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
