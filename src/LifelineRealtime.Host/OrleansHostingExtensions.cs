using System.ComponentModel.DataAnnotations;
using LifelineRealtime.Grains.Persistence;

namespace LifelineRealtime.Host;

/// <summary>Settings of the co-hosted Orleans silo (<c>Lifeline:Orleans</c>).</summary>
public sealed class LifelineSiloOptions
{
    public const string SectionName = "Lifeline:Orleans";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    [Required]
    public string ClusterId { get; set; } = "lifeline";

    [Required]
    public string ServiceId { get; set; } = "lifeline-realtime";
}

public static class OrleansHostingExtensions
{
    /// <summary>The grain storage provider every stateful grain uses.</summary>
    public const string StateStorageName = "lifeline-state";

    /// <summary>
    /// Co-hosts an Orleans silo in this process. Embedded mode: localhost clustering and grain state in
    /// a SQLite file beside the journal (<c>Lifeline:Storage:GrainStatePath</c>, default
    /// <c>&lt;journal&gt;-grains.db</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLifelineSilo(this IHostApplicationBuilder builder)
    {
        var silo = builder.Configuration.GetSection(LifelineSiloOptions.SectionName).Get<LifelineSiloOptions>() ?? new LifelineSiloOptions();
        Validator.ValidateObject(silo, new ValidationContext(silo), validateAllProperties: true);
        var journalPath = builder.Configuration["Lifeline:Storage:Path"] ?? "data/lifeline.db";
        var statePath = builder.Configuration["Lifeline:Storage:GrainStatePath"]
            ?? Path.Combine(Path.GetDirectoryName(journalPath) ?? "", Path.GetFileNameWithoutExtension(journalPath) + "-grains.db");

        builder.UseOrleans(siloBuilder =>
        {
            siloBuilder.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId);
            siloBuilder.AddSqliteGrainStorage(StateStorageName, o => o.Path = statePath);
        });
        return builder;
    }
}
