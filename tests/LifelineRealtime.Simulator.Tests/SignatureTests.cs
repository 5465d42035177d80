using System.Text.Json;
using Twilio.Security;

namespace LifelineRealtime.Simulator.Tests;

public sealed class SignatureTests
{
    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio");

    public static TheoryData<string> FormFixtures => [.. Directory.GetFiles(FixtureDirectory, "*.form").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(FormFixtures))]
    public void Compute_FixtureForm_EqualsTheRecordedSignature(string fixture)
    {
        using var signatures = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, "signatures.json")));
        var expected = signatures.RootElement.GetProperty(fixture);
        var form = File.ReadAllText(Path.Combine(FixtureDirectory, fixture)).Trim();
        var url = expected.GetProperty("url").GetString()!;
        var token = expected.GetProperty("authToken").GetString()!;

        Assert.Equal(expected.GetProperty("signature").GetString(), TwilioSignature.ComputeForForm(token, url, form));
        Assert.Equal(expected.GetProperty("signatureIfUrlHadPort443").GetString(),
            TwilioSignature.ComputeForForm(token, url.Replace("example.org/", "example.org:443/", StringComparison.Ordinal), form));
    }

    [Fact]
    public void Compute_TwilioVectorOne_EqualsThePublishedSignature()
    {
        var fields = new Dictionary<string, string>
        {
            ["TaskSid"] = "WT00000000000000000000000000000001",
            ["EventType"] = "task.created",
            ["Sid"] = "EV00000000000000000000000000000001",
        };

        Assert.Equal("ag13UtEIGZ5KzU4DZkI6v1lqQpw=", TwilioSignature.Compute("secret", "https://example.org/tr", fields));
    }

    [Fact]
    public void Compute_SimulatedEvents_ValidateWithTwilioRequestValidator()
    {
        var (events, _) = SimulatedDays.Day();
        var validator = new RequestValidator("test_token_digi");
        const string url = "http://127.0.0.1:5000/webhooks/taskrouter/digi";

        foreach (var e in events.Where(e => e.PlatformId == "digi").Take(300))
        {
            var signature = TwilioSignature.ComputeForForm("test_token_digi", url, e.Form);
            var fields = e.Fields().ToDictionary(f => f.Key, f => f.Value);
            Assert.True(validator.Validate(url, fields, signature));
            Assert.False(validator.Validate(url + "x", fields, signature));
        }
    }
}
