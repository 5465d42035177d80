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
        foreach (var name in Fixtures.FormNames)
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await client.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
        }

        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, Ct);
        var status = await client.GetFromJsonAsync<EngineStatus>("/status", Ct);

        Assert.NotNull(status);
        Assert.Equal((14L, 14L, 0L, 10_000L, true), (status.JournalSequence, status.DispatchedSequence, status.Lag, status.MaxDispatchLag, status.Ready));
        Assert.Equal("writable", status.Journal.State);
        Assert.Null(status.Journal.LastError);
        Assert.Equal(0, status.Journal.FailedAttempts);
        Assert.Equal(0, status.Quarantined);
    }
}
