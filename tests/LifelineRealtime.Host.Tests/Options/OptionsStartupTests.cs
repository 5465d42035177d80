using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tests.Options;

public sealed class OptionsStartupTests
{
    [Fact]
    public async Task HostStart_InvalidConfiguration_FailsNamingEveryBadKey()
    {
        await using var factory = new LifelineHostFactory(s =>
        {
            s["Lifeline:Platforms:0:WorkspaceSid"] = "XX0000000000000000000000000000d161";
            s["Lifeline:Platforms:1:TimeZone"] = "Mars/Olympus";
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Lifeline:Platforms:0:WorkspaceSid must start with WS", error.Failures);
        Assert.Contains("Lifeline:Platforms:1:TimeZone 'Mars/Olympus' is not a known time zone", error.Failures);
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public async Task Binding_ConfiguredOfflineActivities_ReplaceTheDefault()
    {
        await using var factory = new LifelineHostFactory(s =>
        {
            s["Lifeline:Platforms:0:OfflineActivities:0"] = "Logged Out";
            s["Lifeline:Platforms:0:OfflineActivities:1"] = "Offline";
        });

        var platforms = factory.Services.GetRequiredService<IOptions<LifelineRealtime.Host.Options.LifelineOptions>>().Value.Platforms;
        var settings = LifelineRealtime.Domain.Platforms.PlatformSettings.Create(platforms[0]);

        Assert.Equal(["Logged Out", "Offline"], platforms[0].OfflineActivities);
        Assert.True(settings.IsOffline("Logged Out"));
        Assert.False(settings.IsOffline("Break"));
        Assert.True(LifelineRealtime.Domain.Platforms.PlatformSettings.Create(platforms[1]).IsOffline("Offline"));
    }
}
