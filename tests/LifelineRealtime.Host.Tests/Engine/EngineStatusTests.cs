using System.Net.Http.Json;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.AspNetCore.Builder;
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

        Assert.Equal(new EngineStatus(14, 14, 0, 0), status);
    }
}
