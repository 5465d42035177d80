using System.Net;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary><c>/readyz</c> tells the truth: not ready while the journal cannot commit or dispatch lags too far, ready again after.</summary>
public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readyz_JournalWritableDispatchCaughtUpSiloActive_Answers200NamingEachCheck()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(0, Ct);

        var (status, body) = await Readiness.GetAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["journal"]!["status"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["dispatch"]!["status"]);
        Assert.Equal(10_000, (long)body["checks"]!["dispatch"]!["data"]!["maxDispatchLag"]!);
        Assert.Equal(("Healthy", "Active"), ((string?)body["checks"]!["silo"]!["status"], (string?)body["checks"]!["silo"]!["data"]!["status"]));
    }

    [Fact]
    public async Task Readyz_JournalFolderCannotBeCreated_NotReadyAndWebhooks503UntilItCanThenReadyAndAccepting()
    {
        await using var blocked = BlockedJournal.Create("unwritable");
        var factory = blocked.Factory;
        using var client = factory.CreateClient();

        var (notReady, notReadyBody) = await Readiness.GetAsync(client);
        var failingStatus = await Readiness.StatusAsync(client);
        using var liveness = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        using var refusedRequest = WebhookRequests.FormFixture(Fixtures.FormNames.First());
        using var refused = await client.SendAsync(refusedRequest, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady);
        Assert.Equal("Unhealthy", (string?)notReadyBody["checks"]!["journal"]!["status"]);
        Assert.Equal("failing", (string?)notReadyBody["checks"]!["journal"]!["data"]!["state"]);
        Assert.Equal("failing", (string?)failingStatus["journal"]!["state"]);
        Assert.False(string.IsNullOrEmpty((string?)failingStatus["journal"]!["lastError"]));
        Assert.False((bool)failingStatus["ready"]!);
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");

        // The cause goes away; nothing is restarted and no webhook is needed for the journal to notice.
        blocked.Unblock();
        var readyBody = await Readiness.WaitForAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        using var acceptedRequest = WebhookRequests.FormFixture(Fixtures.FormNames.First());
        using var accepted = await client.SendAsync(acceptedRequest, Ct);
        var recoveredStatus = await Readiness.StatusAsync(client);

        Assert.Equal("Healthy", (string?)readyBody["checks"]!["journal"]!["status"]);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal("writable", (string?)recoveredStatus["journal"]!["state"]);
        Assert.Equal(0, (int)recoveredStatus["journal"]!["failedAttempts"]!);
        Assert.Equal(1, (long)recoveredStatus["journalSequence"]!);
        Assert.Single(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task Readyz_DispatchLagOverTheLimit_NotReadyUntilTheDispatcherCatchesUp()
    {
        await using var factory = new LifelineHostFactory(s => s["Lifeline:Health:MaxDispatchLag"] = "3");
        using var client = factory.CreateClient();
        var dispatcher = factory.Services.GetRequiredService<JournalDispatcher>();
        await dispatcher.WaitForDispatchAsync(0, Ct);

        // A stalled dispatcher: webhooks are still journaled and acknowledged, but reach no grain.
        await dispatcher.StopAsync(Ct);
        foreach (var name in Fixtures.FormNames.Take(4))
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var (lagging, laggingBody) = await Readiness.GetAsync(client);
        var laggingStatus = await Readiness.StatusAsync(client);

        await dispatcher.StartAsync(Ct);
        await dispatcher.WaitForDispatchAsync(factory.Journal.HighWaterSequence, Ct);
        var (caughtUp, caughtUpBody) = await Readiness.GetAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lagging);
        Assert.Equal("Unhealthy", (string?)laggingBody["checks"]!["dispatch"]!["status"]);
        Assert.Equal("Healthy", (string?)laggingBody["checks"]!["journal"]!["status"]);
        Assert.Equal(4, (long)laggingBody["checks"]!["dispatch"]!["data"]!["lag"]!);
        Assert.Equal((4L, 0L, 4L, 3L, false), ((long)laggingStatus["journalSequence"]!, (long)laggingStatus["dispatchedSequence"]!,
            (long)laggingStatus["lag"]!, (long)laggingStatus["maxDispatchLag"]!, (bool)laggingStatus["ready"]!));
        Assert.Equal(HttpStatusCode.OK, caughtUp);
        Assert.Equal("Healthy", (string?)caughtUpBody["checks"]!["dispatch"]!["status"]);
    }
}
