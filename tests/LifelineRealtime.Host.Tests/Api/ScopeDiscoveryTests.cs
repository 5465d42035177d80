using System.Net;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>Known scopes are remembered by the API, unknown ones are asked again: a team appears with its first event.</summary>
public sealed class ScopeDiscoveryTests
{
    [Fact]
    public async Task TeamRead_BeforeAndAfterItsFirstEvent_Is404ThenFound()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        const string url = "/api/platforms/digi/teams/Team%20A/metrics?window=today";

        using (var before = await client.GetAsync(url, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        foreach (var name in Fixtures.FormNames)
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, timeout.Token);

        using var after = await client.GetAsync(url, TestContext.Current.CancellationToken);
        using var again = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (after.StatusCode, again.StatusCode));
    }
}
