using System.Net;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Host.Tests.Conversations.Transcripts.RecordedTranscript;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

public sealed class TranscriptCachingTests
{
    private const string Digi = TestPlatforms.DigiAccount;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_AgainWithinCacheSeconds_ServedFromTheCacheThenReadAfresh()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, ChatPages);

        var first = await host.Source.ReadAsync("digi", Chat, Cancel);
        host.Clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        var cached = await host.Source.ReadAsync("digi", Chat, Cancel);
        var requestsWhileCached = host.Twilio.Requests.Count;
        host.Clock.Advance(TimeSpan.FromTicks(1));
        var fresh = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Same(first, cached);
        Assert.Equal(3, requestsWhileCached);
        Assert.Equal(TranscriptStatus.Found, fresh.Status);
        Assert.NotSame(first, fresh);
        Assert.Equal(6, host.Twilio.Requests.Count);
        Assert.Contains(host.Logs, l => l.EventId == 8306);
    }

    [Fact]
    public async Task ReadAsync_NotFound_IsRememberedForCacheSeconds()
    {
        await using var host = await TranscriptHost.StartAsync();

        var first = await host.Source.ReadAsync("digi", Deleted, Cancel);
        host.Clock.Advance(TimeSpan.FromSeconds(29));
        var again = await host.Source.ReadAsync("digi", Deleted, Cancel);

        Assert.Equal(TranscriptStatus.NotFound, first.Status);
        Assert.Same(first, again);
        Assert.Single(host.Twilio.Requests);
    }

    [Fact]
    public async Task ReadAsync_Unavailable_IsNeverRemembered()
    {
        await using var host = await TranscriptHost.StartAsync();
        var url = RecordedConversations.FirstPageUrl(Empty);
        host.Twilio.Answer(Digi, url, HttpStatusCode.ServiceUnavailable, "error-503.json")
            .Answer(Digi, url, HttpStatusCode.TooManyRequests, "error-429.json", retryAfter: "1")
            .Answer(Digi, url, HttpStatusCode.OK, "messages-empty.json");

        var reads = new List<TranscriptStatus>();
        for (var i = 0; i < 3; i++)
        {
            reads.Add((await host.Source.ReadAsync("digi", Empty, Cancel)).Status);
        }

        Assert.Equal([TranscriptStatus.Unavailable, TranscriptStatus.Unavailable, TranscriptStatus.Found], reads);
        Assert.Equal(3, host.Twilio.Requests.Count);
    }

    [Fact]
    public async Task ReadAsync_SameSidOnAnotherPlatform_IsNotServedFromTheFirstPlatformsCache()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, "messages-empty.json");

        var digi = await host.Source.ReadAsync("digi", Empty, Cancel);
        var ciss = await host.Source.ReadAsync("ciss", Empty, Cancel);

        Assert.Equal(TranscriptStatus.Found, digi.Status);
        Assert.Equal(TranscriptStatus.NotFound, ciss.Status);
        Assert.Equal([Digi, TestPlatforms.CissAccount], host.Twilio.Requests.Select(r => r.Account));
    }

    [Fact]
    public async Task ReadAsync_CacheSecondsZero_AlwaysAsksTwilio()
    {
        await using var host = await TranscriptHost.StartAsync(s => s["Lifeline:Transcripts:CacheSeconds"] = "0");
        host.Twilio.Pages(Digi, "messages-empty.json");

        await host.Source.ReadAsync("digi", Empty, Cancel);
        await host.Source.ReadAsync("digi", Empty, Cancel);

        Assert.Equal(2, host.Twilio.Requests.Count);
    }

    [Fact]
    public void Remember_BeyondMaxEntries_StaysBounded()
    {
        var clock = new FakeTimeProvider(TranscriptHost.Now);
        var cache = new TranscriptCache(clock);

        for (var i = 0; i <= TranscriptCache.MaxEntries; i++)
        {
            cache.Remember("digi", TranscriptRead.Found("CH" + i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), []), TimeSpan.FromSeconds(30));
        }

        Assert.True(cache.Count <= TranscriptCache.MaxEntries);
    }
}
