using LifelineRealtime.Host.Options;
using LifelineRealtime.Simulator;
using LifelineRealtime.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host;

public static class SimulatorSetup
{
    /// <summary>
    /// The embedded simulator, keeping its run's position beside the journal (<c>data/lifeline-simulator.json</c>)
    /// unless <c>Lifeline:Simulator:StatePath</c> names another file, so a restarted engine continues the demo's
    /// run: the journal and the run it holds stay one pair.
    /// </summary>
    public static IHostApplicationBuilder AddEmbeddedSimulator(this IHostApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLifelineSimulator(args);
        builder.Services.AddOptions<SimulatorOptions>()
            .PostConfigure<IOptions<LifelineOptions>, IHostEnvironment>((simulator, lifeline, environment) =>
                simulator.StatePath = simulator.StatePath is { Length: > 0 } configured
                    ? Path.Combine(environment.ContentRootPath, configured)
                    : lifeline.Value.Storage.BesideJournal(environment.ContentRootPath, "-simulator.json"));
        return builder;
    }
}
