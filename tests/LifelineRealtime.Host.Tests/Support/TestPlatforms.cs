namespace LifelineRealtime.Host.Tests.Support;

/// <summary>The two fixture platforms (../shared/twilio/payloads): their Sids and fake tokens sign the fixtures.</summary>
internal static class TestPlatforms
{
    public const string DigiToken = "fake_auth_token_digi_0123456789ab";
    public const string CissToken = "fake_auth_token_ciss_0123456789ab";
    public const string DigiAccount = "AC0000000000000000000000000000d161";
    public const string DigiWorkspace = "WS0000000000000000000000000000d161";
    public const string CissAccount = "AC0000000000000000000000000000c155";
    public const string CissWorkspace = "WS0000000000000000000000000000c155";
    public const string PublicBaseUrl = "https://lifeline.example.org";

    /// <summary>The key of crisis supporters' pseudonyms in test hosts (32 bytes).</summary>
    public const string PseudonymKey = "dGVzdC1wc2V1ZG9ueW0ta2V5LTMyLWJ5dGVzLWxvbmch";

    /// <summary>Configuration for both platforms, a private journal file and the fixtures' public URL.</summary>
    public static Dictionary<string, string?> Settings(string databasePath)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Lifeline:Ingest:PublicBaseUrl"] = PublicBaseUrl,
            ["Lifeline:Ingest:MaxBodyBytes"] = "65536",
            ["Lifeline:Storage:Provider"] = "Sqlite",
            ["Lifeline:Storage:Path"] = databasePath,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Lifeline:Auth:SigningKey"] = TestTokens.SigningKey,
            ["Lifeline:Auth:Issuer"] = TestTokens.Issuer,
            ["Lifeline:Auth:Audience"] = TestTokens.Audience,
            ["Lifeline:Conversations:PseudonymKey"] = PseudonymKey,
            // The fixture accounts are not Twilio's: a test that backfills points it at a TaskRouterDouble.
            ["Lifeline:Backfill:Enabled"] = "false",
            ["Lifeline:Exports:Scheduled"] = "false",
            ["Lifeline:Exports:Path"] = Path.ChangeExtension(databasePath, null) + "-exports",
        };
        AddPlatform(settings, 0, "digi", "chat", DigiAccount, DigiWorkspace, DigiToken);
        AddPlatform(settings, 1, "ciss", "voice", CissAccount, CissWorkspace, CissToken);
        return settings;
    }

    /// <summary>The same settings as command-line arguments, for the host started as a process.</summary>
    public static IEnumerable<string> Arguments(Dictionary<string, string?> settings) =>
        settings.Select(s => $"--{s.Key}={s.Value}");

    private static void AddPlatform(Dictionary<string, string?> settings, int index, string id, string channel, string account, string workspace, string token)
    {
        var key = $"Lifeline:Platforms:{index}:";
        settings[key + "Id"] = id;
        settings[key + "Name"] = id.ToUpperInvariant() + " Central";
        settings[key + "Channel"] = channel;
        settings[key + "AccountSid"] = account;
        settings[key + "WorkspaceSid"] = workspace;
        settings[key + "AuthToken"] = token;
        settings[key + "TimeZone"] = "Australia/Sydney";
        string[] types = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
        for (var i = 0; i < types.Length; i++)
        {
            settings[$"{key}SupportTypes:{i}"] = types[i];
        }

        settings[key + "SupportTypeRules:0:Attribute"] = "supportType";
        settings[key + "SupportTypeRules:1:QueueNamePattern"] = "(?i)(check_in|check_out|debrief|imminent|safety|support)";
        settings[key + "ServiceLevelSeconds:default"] = "60";
        settings[key + "ServiceLevelSeconds:imminent"] = "20";
        settings[key + "UrgentWaitAlertSeconds:imminent"] = "30";
        settings[key + "UrgentWaitAlertSeconds:safety"] = "60";
    }
}
