using LifelineRealtime.Host.Tests.Support;
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
}
