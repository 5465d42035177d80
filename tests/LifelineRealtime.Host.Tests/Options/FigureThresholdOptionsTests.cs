using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tests.Options;

/// <summary>The colour thresholds of a platform's figures: defaults, overrides per key, and the checks at start.</summary>
public sealed class FigureThresholdOptionsTests
{
    private static PlatformOptions Platform(Action<FigureThresholdOptions>? change = null)
    {
        var options = new PlatformOptions
        {
            Id = "ciss",
            Name = "CISS Central",
            Channel = "voice",
            AccountSid = "AC0000000000000000000000000000c155",
            WorkspaceSid = "WS0000000000000000000000000000c155",
            AuthToken = "token",
            SupportTypes = ["imminent", "safety", "support"],
            SupportTypeRules = [new() { Attribute = "supportType" }],
            ServiceLevelSeconds = new() { ["default"] = 60 },
            UrgentWaitAlertSeconds = new() { ["imminent"] = 30, ["safety"] = 60 },
        };
        change?.Invoke(options.Thresholds);
        return options;
    }

    private static List<string> Failures(PlatformOptions platform) =>
        new LifelineOptionsValidator().Validate(null, new LifelineOptions { Platforms = [platform], Storage = new StorageOptions { Path = "x.db" } }).Failures?.ToList() ?? [];

    [Fact]
    public void Thresholds_NothingConfigured_AreTheDefaults()
    {
        var t = PlatformSettings.Create(Platform()).Thresholds;

        Assert.Equal(new FigureThreshold(true, 0.8, 0.6), t.ServiceLevel);
        Assert.Equal(new FigureThreshold(false, 0.05, 0.1), t.AbandonRate);
        Assert.Equal(new FigureThreshold(false, 0.1, 0.2), t.RejectRate);
        Assert.Equal(new FigureThreshold(false, 0.05, 0.1), t.TimeoutRate);
        Assert.Equal(new FigureThreshold(false, 0.15, 0.3), t.TransferRate);
        Assert.Equal(new FigureThreshold(false, 60, 120), t.AvgWait);
        Assert.Equal(new FigureThreshold(false, 60, 120), t.LongestWait);
        Assert.Empty(Failures(Platform()));
    }

    [Fact]
    public void Thresholds_UrgentLongestWait_IsOverLimitAtTheAlertWaitAndNearLimitFromHalfOfIt()
    {
        var t = PlatformSettings.Create(Platform()).Thresholds;

        Assert.Equal(["imminent", "safety"], t.LongestWaitBySupportType.Keys);
        Assert.Equal(new FigureThreshold(false, 15, 30), t.LongestWaitBySupportType["imminent"]);
        Assert.Equal(new FigureThreshold(false, 30, 60), t.LongestWaitBySupportType["safety"]);
    }

    [Fact]
    public void Thresholds_TwoPlatformOptions_DoNotShareTheirDefaults()
    {
        var changed = Platform(t => t.ServiceLevel.Warn = 0.95);

        Assert.Equal(0.95, PlatformSettings.Create(changed).Thresholds.ServiceLevel.Warn);
        Assert.Equal(0.8, PlatformSettings.Create(Platform()).Thresholds.ServiceLevel.Warn);
    }

    [Theory]
    [InlineData("ServiceLevel", 0.5, 0.6, "Lifeline:Platforms:0:Thresholds:ServiceLevel:Warn (0.5) must be above Bad (0.6): a higher ServiceLevel is better")]
    [InlineData("ServiceLevel", 0.6, 0.6, "Lifeline:Platforms:0:Thresholds:ServiceLevel:Warn (0.6) must be above Bad (0.6): a higher ServiceLevel is better")]
    [InlineData("AbandonRate", 0.2, 0.1, "Lifeline:Platforms:0:Thresholds:AbandonRate:Warn (0.2) must be below Bad (0.1): a lower AbandonRate is better")]
    [InlineData("RejectRate", 0.1, 1.5, "Lifeline:Platforms:0:Thresholds:RejectRate:Warn and Bad must be fractions from 0 to 1 (0.8 = 80%)")]
    [InlineData("TimeoutRate", double.NaN, 0.1, "Lifeline:Platforms:0:Thresholds:TimeoutRate:Warn and Bad must be fractions from 0 to 1 (0.8 = 80%)")]
    [InlineData("TransferRate", 0.3, 0.3, "Lifeline:Platforms:0:Thresholds:TransferRate:Warn (0.3) must be below Bad (0.3): a lower TransferRate is better")]
    [InlineData("AvgWait", 0, 120, "Lifeline:Platforms:0:Thresholds:AvgWait:Warn and Bad must be positive seconds")]
    [InlineData("LongestWait", 180, 120, "Lifeline:Platforms:0:Thresholds:LongestWait:Warn (180) must be below Bad (120): a lower LongestWait is better")]
    public void Validate_ThresholdsTheWrongWayOrOutOfRange_FailNamingTheKey(string measure, double warn, double bad, string failure)
    {
        var platform = Platform(t =>
        {
            var levels = (ThresholdLevelOptions)typeof(FigureThresholdOptions).GetProperty(measure)!.GetValue(t)!;
            (levels.Warn, levels.Bad) = (warn, bad);
        });

        Assert.Equal([failure], Failures(platform));
        Assert.Contains(failure.Replace("Lifeline:Platforms:0", "Lifeline:Platforms:ciss", StringComparison.Ordinal),
            Assert.Throws<ArgumentException>(() => PlatformSettings.Create(platform)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_OneLevelConfigured_KeepsTheOtherDefault()
    {
        await using var factory = new LifelineHostFactory(s => s["Lifeline:Platforms:1:Thresholds:ServiceLevel:Warn"] = "0.9");

        var platforms = factory.Services.GetRequiredService<IOptions<LifelineOptions>>().Value.Platforms;

        Assert.Equal((0.9, 0.6), (platforms[1].Thresholds.ServiceLevel.Warn, platforms[1].Thresholds.ServiceLevel.Bad));
        Assert.Equal((0.8, 0.6), (platforms[0].Thresholds.ServiceLevel.Warn, platforms[0].Thresholds.ServiceLevel.Bad));
    }

    [Fact]
    public async Task HostStart_WarnWorseThanBad_FailsWithOneLineNamingTheKey()
    {
        await using var factory = new LifelineHostFactory(s => s["Lifeline:Platforms:0:Thresholds:AvgWait:Warn"] = "300");

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Equal(["Lifeline:Platforms:0:Thresholds:AvgWait:Warn (300) must be below Bad (120): a lower AvgWait is better"], error.Failures);
    }
}
