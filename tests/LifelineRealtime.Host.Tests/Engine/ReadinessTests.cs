using System.Net;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LifelineRealtime.Testing;

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
        // The journal's folder path is taken by a file (root is not stopped by file modes, but by this it is).
        var root = Path.Combine(TestData.Root, $"unwritable-{Guid.NewGuid():N}");
        var blocker = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        File.WriteAllText(blocker, "not a folder");
        var journalPath = Path.Combine(blocker, "lifeline.db");
        try
        {
            await using var factory = new LifelineHostFactory(
                s =>
                {
                    s["Lifeline:Storage:Path"] = journalPath;
                    s["Lifeline:Storage:GrainStatePath"] = Path.Combine(root, "grains.db");
                },
                services => services.AddSingleton(sp => new SqliteEventJournal(
                    // The same journal with a shorter first retry, so the test does not wait out seconds of backoff.
                    new SqliteJournalOptions { Path = journalPath, RetryDelay = TimeSpan.FromMilliseconds(200), MaxRetryDelay = TimeSpan.FromSeconds(1) },
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<JournalInstruments>(),
                    sp.GetRequiredService<ILogger<SqliteEventJournal>>())));
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
            File.Delete(blocker);
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
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
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
