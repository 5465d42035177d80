using System.Net;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>The simulator's signed traffic against the real webhook: signatures verify, every event parses and is journaled.</summary>
public sealed class SimulatedTrafficTests
{
    private static SimulatorPlatformOptions Platform(string id, string channel, string account, string workspace, string token) => new()
    {
        Id = id,
        Name = id.ToUpperInvariant() + " Central",
        Channel = channel,
        AccountSid = account,
        WorkspaceSid = workspace,
        AuthToken = token,
        TimeZone = "Australia/Sydney",
        SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
    };

    [Fact]
    public async Task Webhook_SimulatedSignedEvents_AreAllAcceptedAndJournaled()
    {
        var options = new SimulatorOptions
        {
            Seed = 3,
            Platforms =
            [
                Platform("ciss", "voice", TestPlatforms.CissAccount, TestPlatforms.CissWorkspace, TestPlatforms.CissToken),
                Platform("digi", "chat", TestPlatforms.DigiAccount, TestPlatforms.DigiWorkspace, TestPlatforms.DigiToken),
            ],
        };
        var tokens = options.Platforms.ToDictionary(p => p.Id, p => p.AuthToken);
        var events = new TrafficSimulation(options, new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero)).Events().Take(300).ToList();
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();

        foreach (var e in events)
        {
            using var request = WebhookRequests.Simulated(e.PlatformId, e.Form, tokens[e.PlatformId]);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var journal = await factory.ReadJournalAsync();
        Assert.Equal(300, journal.Count);
        Assert.Equal(events.Select(e => FormBody.DecodeToDictionary(e.Form)["Sid"]).Order(StringComparer.Ordinal), journal.Select(r => r.EventSid).Order(StringComparer.Ordinal));
    }
}
