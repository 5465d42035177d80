using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Options;

namespace LifelineRealtime.Host.Tests.Options;

public sealed class LifelineOptionsValidatorTests
{
    private static PlatformOptions ValidPlatform(string id = "digi") => new()
    {
        Id = id,
        Name = "DIGI Central",
        Channel = "chat",
        AccountSid = "AC0000000000000000000000000000d161",
        WorkspaceSid = "WS0000000000000000000000000000d161",
        AuthToken = "token",
        TimeZone = "Australia/Sydney",
        SupportTypes = ["imminent", "safety", "support"],
        SupportTypeRules = [new() { Attribute = "supportType" }, new() { QueueNamePattern = "(?i)(imminent|safety|support)" }],
        ServiceLevelSeconds = new() { ["imminent"] = 20, ["default"] = 60 },
        UrgentWaitAlertSeconds = new() { ["imminent"] = 30 },
    };

    private static LifelineOptions Valid() => new()
    {
        Platforms = [ValidPlatform("digi"), ValidPlatform("ciss")],
        Ingest = new IngestOptions { PublicBaseUrl = "https://lifeline.example.org", TrustedProxies = ["10.0.0.1", "10.1.0.0/16"] },
        Storage = new StorageOptions { Path = "data/lifeline.db" },
    };

    private static List<string> Failures(LifelineOptions options) =>
        new LifelineOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    private static string SingleFailure(Action<LifelineOptions> change)
    {
        var options = Valid();
        change(options);
        return Assert.Single(Failures(options));
    }

    [Fact]
    public void Validate_DevelopmentLikeOptions_Succeeds() =>
        Assert.True(new LifelineOptionsValidator().Validate(null, Valid()).Succeeded);

    [Fact]
    public void Validate_NoPlatforms_Fails() =>
        Assert.Equal("Lifeline:Platforms must list at least one platform", SingleFailure(o => o.Platforms.Clear()));

    [Theory]
    [InlineData("")]
    [InlineData("CISS")]
    [InlineData("digi central")]
    [InlineData("1digi")]
    public void Validate_IdNotASlug_NamesKey(string id) =>
        Assert.Equal("Lifeline:Platforms:1:Id must be a lower-case slug (a-z, 0-9 and '-', starting with a letter)", SingleFailure(o => o.Platforms[1].Id = id));

    [Fact]
    public void Validate_NoUrgentSupportType_NamesTheKey() =>
        Assert.Equal(
            "Lifeline:Platforms:0:UrgentWaitAlertSeconds must name at least one urgent support type (the crisis line's are imminent and safety)",
            SingleFailure(o => o.Platforms[0].UrgentWaitAlertSeconds.Clear()));

    [Fact]
    public void Validate_DuplicateId_NamesBothKeys() =>
        Assert.Equal("Lifeline:Platforms:1:Id 'digi' is already used by Lifeline:Platforms:0", SingleFailure(o => o.Platforms[1].Id = "digi"));

    [Fact]
    public void Validate_WorkspaceSidWrongPrefix_SaysWhichPrefix() =>
        Assert.Equal("Lifeline:Platforms:0:WorkspaceSid must start with WS", SingleFailure(o => o.Platforms[0].WorkspaceSid = "AC0000000000000000000000000000d161"));

    [Fact]
    public void Validate_AccountSidTooShort_SaysShape() =>
        Assert.Equal("Lifeline:Platforms:0:AccountSid must be AC followed by 32 hex digits", SingleFailure(o => o.Platforms[0].AccountSid = "AC123"));

    [Fact]
    public void Validate_MissingAuthToken_NamesKey() =>
        Assert.Equal("Lifeline:Platforms:0:AuthToken is required (it verifies every webhook's signature)", SingleFailure(o => o.Platforms[0].AuthToken = " "));

    [Fact]
    public void Validate_UnknownTimeZone_NamesKey() =>
        Assert.Equal("Lifeline:Platforms:0:TimeZone 'Australia/Atlantis' is not a known time zone", SingleFailure(o => o.Platforms[0].TimeZone = "Australia/Atlantis"));

    [Fact]
    public void Validate_NoSupportTypes_NamesKey() =>
        Assert.Contains("Lifeline:Platforms:0:SupportTypes must list at least one support type", Failures(Change(o => o.Platforms[0].SupportTypes.Clear())));

    [Theory]
    [InlineData("Imminent")]
    [InlineData("unclassified")]
    [InlineData("safety plan")]
    public void Validate_BadlyShapedSupportType_NamesItsIndex(string type) =>
        Assert.Equal($"Lifeline:Platforms:0:SupportTypes:1 '{type}' must be lower-case snake_case and not 'unclassified'", SingleFailure(o => o.Platforms[0].SupportTypes[1] = type));

    [Fact]
    public void Validate_RuleWithBothAttributeAndPattern_NamesRule() =>
        Assert.Equal("Lifeline:Platforms:0:SupportTypeRules:0 must set exactly one of Attribute or QueueNamePattern", SingleFailure(o => o.Platforms[0].SupportTypeRules[0].QueueNamePattern = "(x)"));

    [Fact]
    public void Validate_RuleWithNeither_NamesRule() =>
        Assert.Equal("Lifeline:Platforms:0:SupportTypeRules:1 must set exactly one of Attribute or QueueNamePattern", SingleFailure(o => o.Platforms[0].SupportTypeRules[1].QueueNamePattern = null));

    [Fact]
    public void Validate_PatternThatDoesNotCompile_NamesKey() =>
        Assert.StartsWith("Lifeline:Platforms:0:SupportTypeRules:1:QueueNamePattern does not compile", SingleFailure(o => o.Platforms[0].SupportTypeRules[1].QueueNamePattern = "(imminent"), StringComparison.Ordinal);

    [Fact]
    public void Validate_PatternWithoutCaptureGroup_NamesKey() =>
        Assert.Equal("Lifeline:Platforms:0:SupportTypeRules:1:QueueNamePattern must have a capture group (its first group is the support type)", SingleFailure(o => o.Platforms[0].SupportTypeRules[1].QueueNamePattern = "imminent|safety"));

    [Fact]
    public void Validate_ServiceLevelWithoutDefault_NamesKey() =>
        Assert.Equal("Lifeline:Platforms:0:ServiceLevelSeconds must have a 'default' entry", SingleFailure(o => o.Platforms[0].ServiceLevelSeconds.Remove("default")));

    [Fact]
    public void Validate_NonPositiveServiceLevel_NamesEntry() =>
        Assert.Equal("Lifeline:Platforms:0:ServiceLevelSeconds:imminent must be positive", SingleFailure(o => o.Platforms[0].ServiceLevelSeconds["imminent"] = 0));

    [Fact]
    public void Validate_ThresholdForUnconfiguredType_NamesEntry() =>
        Assert.Equal("Lifeline:Platforms:0:UrgentWaitAlertSeconds:debrief is not one of the platform's SupportTypes", SingleFailure(o => o.Platforms[0].UrgentWaitAlertSeconds["debrief"] = 10));

    [Fact]
    public void Validate_NegativeShortAbandon_NamesKey() =>
        Assert.Equal("Lifeline:Platforms:0:ShortAbandonSeconds must be positive", SingleFailure(o => o.Platforms[0].ShortAbandonSeconds = -1));

    [Fact]
    public void Validate_ZeroStuckThreshold_NamesKey() =>
        Assert.Equal("Lifeline:Platforms:1:StuckThresholds:Reserved must be positive", SingleFailure(o => o.Platforms[1].StuckThresholds.Reserved = TimeSpan.Zero));

    [Fact]
    public void Validate_ZeroMaxBodyBytes_NamesKey() =>
        Assert.Equal($"Lifeline:Ingest:MaxBodyBytes must be between 1 and {int.MaxValue}", SingleFailure(o => o.Ingest.MaxBodyBytes = 0));

    [Theory]
    [InlineData("2009-12-31T23:59:59Z")]
    [InlineData("2100-01-01T00:00:00Z")]
    public void Validate_EarliestEventTimeOutsideWhatCanBeReal_NamesKey(string time) =>
        Assert.Equal(
            "Lifeline:Ingest:EarliestEventTime must be between 2010-01-01 and 2099-12-31 (TaskRouter did not exist before 2010)",
            SingleFailure(o => o.Ingest.EarliestEventTime = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(-1)]
    [InlineData(25)]
    public void Validate_MaxEventTimeAheadOutOfRange_NamesKey(int hours) =>
        Assert.Equal("Lifeline:Ingest:MaxEventTimeAhead must be between 00:00:00 and 1.00:00:00", SingleFailure(o => o.Ingest.MaxEventTimeAhead = TimeSpan.FromHours(hours)));

    [Theory]
    [InlineData("lifeline.example.org")]
    [InlineData("ftp://lifeline.example.org")]
    [InlineData("https://lifeline.example.org/?a=1")]
    public void Validate_BadPublicBaseUrl_NamesKey(string url) =>
        Assert.Equal("Lifeline:Ingest:PublicBaseUrl must be an absolute http(s) URL without query or fragment", SingleFailure(o => o.Ingest.PublicBaseUrl = url));

    [Fact]
    public void Validate_BadTrustedProxy_NamesIndex() =>
        Assert.Equal("Lifeline:Ingest:TrustedProxies:1 'ingress' is not an IP address or CIDR network", SingleFailure(o => o.Ingest.TrustedProxies[1] = "ingress"));

    [Fact]
    public void Validate_UnsupportedStorageProvider_NamesKey() =>
        Assert.Equal("Lifeline:Storage:Provider 'Postgres' is not supported (use Sqlite)", SingleFailure(o => o.Storage.Provider = "Postgres"));

    [Fact]
    public void Validate_EmptyStoragePath_NamesKey() =>
        Assert.Equal("Lifeline:Storage:Path is required", SingleFailure(o => o.Storage.Path = ""));

    [Fact]
    public void Validate_UnknownDurability_NamesKey() =>
        Assert.Equal("Lifeline:Storage:Durability 'Paranoid' must be Full or Normal", SingleFailure(o => o.Storage.Durability = "Paranoid"));

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:05")]
    [InlineData("00:00:01.500")]
    [InlineData("-00:00:02")]
    public void Validate_BusyTimeoutNotWholeSecondsFrom1To4_NamesKey(string timeout) =>
        Assert.Equal(
            $"Lifeline:Storage:BusyTimeout '{TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)}' must be whole seconds from 00:00:01 to 00:00:04",
            SingleFailure(o => o.Storage.BusyTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Validate_BusyTimeoutWholeSecondsInRange_Succeeds(int seconds) =>
        Assert.Empty(Failures(Change(o => o.Storage.BusyTimeout = TimeSpan.FromSeconds(seconds))));

    [Fact]
    public void Validate_Defaults_BusyTimeoutTwoSecondsAndMaxDispatchLagTenThousand()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), new StorageOptions().BusyTimeout);
        Assert.Equal(10_000, new HealthOptions().MaxDispatchLag);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_MaxDispatchLagBelowOne_NamesKey(long lag) =>
        Assert.Equal("Lifeline:Health:MaxDispatchLag must be at least 1", SingleFailure(o => o.Health.MaxDispatchLag = lag));

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOneTogether()
    {
        var failures = Failures(Change(o =>
        {
            o.Platforms[0].WorkspaceSid = "WQ0000000000000000000000000000d161";
            o.Platforms[0].AuthToken = "";
            o.Platforms[1].ServiceLevelSeconds.Remove("default");
            o.Storage.Path = "";
        }));

        Assert.Equal(
            [
                "Lifeline:Platforms:0:WorkspaceSid must start with WS",
                "Lifeline:Platforms:0:AuthToken is required (it verifies every webhook's signature)",
                "Lifeline:Platforms:1:ServiceLevelSeconds must have a 'default' entry",
                "Lifeline:Storage:Path is required",
            ],
            failures);
    }

    private static LifelineOptions Change(Action<LifelineOptions> change)
    {
        var options = Valid();
        change(options);
        return options;
    }
}
