using System.Net.Http.Json;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Engine;

public sealed class EngineStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_AfterWebhooksAreDispatched_ReportsNoLag()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        await PostEveryFixtureAsync(client);

        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, Ct);
        var status = await client.GetFromJsonAsync<EngineStatus>("/status", Ct);

        Assert.NotNull(status);
        Assert.Equal((14L, 14L, 0L, 10_000L, true), (status.JournalSequence, status.DispatchedSequence, status.Lag, status.MaxDispatchLag, status.Ready));
        Assert.Equal("writable", status.Journal.State);
        Assert.Null(status.Journal.LastError);
        Assert.Equal(0, status.Journal.FailedAttempts);
        Assert.Equal(0, status.Quarantined);
    }

    [Fact]
    public async Task StatusWait_AnswersOnceEveryEventCommittedBeforeItIsDispatched()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        await PostEveryFixtureAsync(client);

        // Asked straight after the last acknowledgement: no wait on the dispatcher from the test itself.
        var status = await client.GetFromJsonAsync<EngineStatus>("/status?wait=30", Ct);

        Assert.NotNull(status);
        Assert.Equal((14L, 14L, 0L), (status.JournalSequence, status.DispatchedSequence, status.Lag));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("")]
    public async Task StatusWait_NotASecondsCountFrom1To60_Is400NamingWait(string wait)
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"/status?wait={Uri.EscapeDataString(wait)}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"wait\"", body, StringComparison.Ordinal);
    }

    private static async Task PostEveryFixtureAsync(HttpClient client)
    {
        foreach (var name in Fixtures.FormNames)
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await client.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
        }
    }
}
