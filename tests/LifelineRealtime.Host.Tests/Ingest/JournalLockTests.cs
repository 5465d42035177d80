using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>
/// Another process holding the journal's write lock (say <c>sqlite3 lifeline.db</c> in <c>BEGIN EXCLUSIVE</c>)
/// must not hold webhooks for the library's 30 s: they are answered 503 within the busy timeout, Twilio
/// retries, and the journal takes appends again once the lock is gone.
/// </summary>
public sealed class JournalLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, 2)]
    [InlineData("00:00:01", 1)]
    public async Task Webhook_JournalLockedByAnotherConnection_503WithRetryAfterWithinTheBusyTimeoutThenAccepted(string? configured, int busySeconds)
    {
        var busyTimeout = TimeSpan.FromSeconds(busySeconds);
        await using var factory = new LifelineHostFactory(s =>
        {
            if (configured is not null)
            {
                s["Lifeline:Storage:BusyTimeout"] = configured;
            }
        });
        using var client = factory.CreateClient();
        var names = Fixtures.FormNames.Take(2).ToList();
        using (var first = WebhookRequests.FormFixture(names[0]))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(first, Ct)).StatusCode);
        }

        TimeSpan elapsed;
        HttpStatusCode lockedStatus;
        RetryConditionHeaderValue? retryAfter;
        HttpStatusCode lockedReadiness;
        using (var other = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            other.Open();
            using (var exclusive = other.CreateCommand())
            {
                exclusive.CommandText = "BEGIN EXCLUSIVE;";
                exclusive.ExecuteNonQuery();
            }

            using var request = WebhookRequests.FormFixture(names[1]);
            var watch = Stopwatch.StartNew();
            using var response = await client.SendAsync(request, Ct);
            elapsed = watch.Elapsed;
            lockedStatus = response.StatusCode;
            retryAfter = response.Headers.RetryAfter;
            (lockedReadiness, _) = await Readiness.GetAsync(client);
        }

        // The lock is released with the other connection; the journal's own retry notices.
        await Readiness.WaitForAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        using var again = WebhookRequests.FormFixture(names[1]);
        using var accepted = await client.SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lockedStatus);
        // The wait is the busy timeout (a correctness bound, with room for a loaded machine), not 30 s.
        Assert.InRange(elapsed, busyTimeout - TimeSpan.FromMilliseconds(200), busyTimeout + TimeSpan.FromSeconds(3));
        Assert.True(retryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {retryAfter}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lockedReadiness);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal(2, (await factory.ReadJournalAsync()).Count);
    }
}
