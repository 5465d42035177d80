using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Simulator.Hosting;

public static class SimulatorHostingExtensions
{
    /// <summary>
    /// Registers the embedded simulator: options from <c>Lifeline:Simulator</c> and the platform facts
    /// from <c>Lifeline:Platforms</c>, validated at start; a hosted service that posts signed callbacks
    /// once the host listens. Disabled unless <c>Enabled</c> is true; <c>--simulator</c> /
    /// <c>--no-simulator</c> on the command line (default: the process's own arguments) override it.
    /// </summary>
    public static IHostApplicationBuilder AddLifelineSimulator(this IHostApplicationBuilder builder, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (CommandLineSwitch(args ?? Environment.GetCommandLineArgs()) is { } enabled)
        {
            builder.Configuration.AddInMemoryCollection([new($"{SimulatorOptions.SectionName}:Enabled", enabled ? "true" : "false")]);
        }

        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .Configure<IConfiguration>((o, configuration) =>
                o.Platforms = configuration.GetSection(SimulatorOptions.PlatformsSectionName).Get<List<SimulatorPlatformOptions>>() ?? [])
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<SimulatorMetrics>();
        builder.Services.AddHttpClient(SimulatorHostedService.HttpClientName);
        builder.Services.TryAddSingleton<SimulatorHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatorHostedService>());
        return builder;
    }

    /// <summary><c>--simulator</c> (or <c>--simulator=true|false</c>) and <c>--no-simulator</c>; the last one wins.</summary>
    internal static bool? CommandLineSwitch(IEnumerable<string> args)
    {
        bool? result = null;
        foreach (var arg in args)
        {
            switch (arg.ToLowerInvariant())
            {
                case "--simulator" or "--simulator=true":
                    result = true;
                    break;
                case "--no-simulator" or "--simulator=false":
                    result = false;
                    break;
            }
        }

        return result;
    }
}
