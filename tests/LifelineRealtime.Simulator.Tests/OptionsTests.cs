using LifelineRealtime.Simulator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Simulator.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Validator_BadSettings_NamesEveryBadKey()
    {
        var options = SimulatedDays.Options();
        options.Speed = 0;
        options.Workers = 0;
        options.RejectProbability = -0.5;
        options.Platforms[1].Channel = "sms";
        options.Platforms[1].WorkspaceSid = "WS123";
        options.Platforms[0].AuthToken = "";

        var result = new SimulatorOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Lifeline:Simulator:Speed ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Lifeline:Simulator:Workers ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Lifeline:Simulator:RejectProbability ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Lifeline:Platforms:1:Channel ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Lifeline:Platforms:1:WorkspaceSid ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Lifeline:Platforms:0:AuthToken ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_Disabled_IgnoresMissingPlatforms()
    {
        var result = new SimulatorOptionsValidator().Validate(null, new SimulatorOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--simulator" }, true)]
    [InlineData(new[] { "--no-simulator" }, false)]
    [InlineData(new[] { "--simulator=false" }, false)]
    [InlineData(new[] { "--urls", "http://x", "--no-simulator", "--simulator" }, true)]
    public void CommandLineSwitch_Arguments_MapToEnabled(string[] args, bool? expected)
    {
        Assert.Equal(expected, SimulatorHostingExtensions.CommandLineSwitch(args));
    }

    [Fact]
    public void AddLifelineSimulator_ConfigurationAndSwitch_BindSimulatorAndPlatformFacts()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lifeline:Simulator:Enabled"] = "false",
            ["Lifeline:Simulator:Seed"] = "7",
            ["Lifeline:Simulator:Speed"] = "1440",
            ["Lifeline:Simulator:Workers"] = "10",
            ["Lifeline:Platforms:0:Id"] = "ciss",
            ["Lifeline:Platforms:0:Channel"] = "voice",
            ["Lifeline:Platforms:0:AccountSid"] = "AC0000000000000000000000000000c155",
            ["Lifeline:Platforms:0:WorkspaceSid"] = "WS0000000000000000000000000000c155",
            ["Lifeline:Platforms:0:AuthToken"] = "t",
            ["Lifeline:Platforms:0:SupportTypes:0"] = "support",
            ["Lifeline:Platforms:0:ShortAbandonSeconds"] = "10",
        });

        builder.AddLifelineSimulator(["--simulator"]);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.Equal(7, options.Seed);
        Assert.Equal(1440, options.Speed);
        Assert.Equal(10, options.Workers);
        var platform = Assert.Single(options.Platforms);
        Assert.Equal(("ciss", "voice", "t"), (platform.Id, platform.Channel, platform.AuthToken));
        Assert.Equal(["support"], platform.SupportTypes);
    }

    [Fact]
    public void AddLifelineSimulator_InvalidSetting_FailsAtStartNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Lifeline:Simulator:Speed"] = "-1" });
        builder.AddLifelineSimulator([]);
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value);

        Assert.Contains("Lifeline:Simulator:Speed", error.Message, StringComparison.Ordinal);
    }
}
