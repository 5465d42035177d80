using System.Globalization;
using System.Net;
using System.Text;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Host.Tests.Support;
using static LifelineRealtime.Host.Tests.Conversations.Transcripts.RecordedTranscript;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

public sealed class TwilioTranscriptSourceTests
{
    private const string Digi = TestPlatforms.DigiAccount;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_ThreePages_FollowsEveryNextPageInOrderAndReturnsTheMessagesExactly()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, ChatPages);

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Found, read.Status);
        Assert.Equal(Chat, read.ConversationSid);
        Assert.Null(read.Reason);
        Assert.Null(read.RetryAfter);
        Assert.Equal(ChatMessages.Select(Describe), read.Messages.Select(Describe));
        Assert.All(read.Messages, m => Assert.Equal(TimeSpan.Zero, m.Created.Offset));
        Assert.Equal(
            [
                $"https://conversations.twilio.com/v1/Conversations/{Chat}/Messages?Order=asc&PageSize=100",
                $"https://conversations.twilio.com/v1/Conversations/{Chat}/Messages?Order=asc&PageSize=100&Page=1&PageToken=PT2",
                $"https://conversations.twilio.com/v1/Conversations/{Chat}/Messages?Order=asc&PageSize=100&Page=2&PageToken=PT7",
            ],
            host.Twilio.Urls);
        Assert.All(host.Twilio.Requests, r => Assert.Equal((HttpMethod.Get, Digi), (r.Method, r.Account)));
        Assert.Empty(host.Twilio.Violations);
        Assert.Contains(host.Logs, l => l.EventId == 8301 && l.Message.Contains("9 message(s) in 3 page(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_EachPlatform_AsksWithItsOwnAccountsCredentials()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(TestPlatforms.CissAccount, "messages-empty.json");

        var read = await host.Source.ReadAsync("ciss", Empty, Cancel);

        Assert.Equal(TranscriptStatus.Found, read.Status);
        Assert.Equal(TestPlatforms.CissAccount, Assert.Single(host.Twilio.Requests).Account);
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task ReadAsync_ConversationWithNoMessages_FoundAndEmpty()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, "messages-empty.json");

        var read = await host.Source.ReadAsync("digi", Empty, Cancel);

        Assert.Equal(TranscriptStatus.Found, read.Status);
        Assert.Empty(read.Messages);
        Assert.Single(host.Twilio.Requests);
    }

    [Fact]
    public async Task ReadAsync_Twilio404_NotFoundAsDeletedOrExpired()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Answer(Digi, RecordedConversations.FirstPageUrl(Deleted), HttpStatusCode.NotFound, "error-404.json");

        var read = await host.Source.ReadAsync("digi", Deleted, Cancel);

        Assert.Equal(TranscriptStatus.NotFound, read.Status);
        Assert.Equal(Deleted, read.ConversationSid);
        Assert.Empty(read.Messages);
        Assert.Equal($"conversation {Deleted} was not found on platform digi's account (Twilio 404): deleted or expired", read.Reason);
        Assert.Null(read.RetryAfter);
        Assert.Contains(host.Logs, l => l.EventId == 8302);
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task ReadAsync_AnotherAccountsConversation_NotFound()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, ChatPages);

        var read = await host.Source.ReadAsync("ciss", Chat, Cancel);

        Assert.Equal(TranscriptStatus.NotFound, read.Status);
        Assert.Equal(TestPlatforms.CissAccount, Assert.Single(host.Twilio.Requests).Account);
    }

    [Fact]
    public async Task ReadAsync_Twilio429WithRetryAfterSeconds_UnavailableWithReasonAndRetryAfter()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Answer(Digi, RecordedConversations.FirstPageUrl(Chat), HttpStatusCode.TooManyRequests, "error-429.json", retryAfter: "7");

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: Twilio Conversations answered 429 (too many requests), retry after 7 s", read.Reason);
        Assert.Equal(TimeSpan.FromSeconds(7), read.RetryAfter);
        Assert.Empty(read.Messages);
        Assert.Contains(host.Logs, l => l.EventId == 8303 && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task ReadAsync_RetryAfterAsADate_RetryAfterIsTheTimeUntilIt()
    {
        await using var host = await TranscriptHost.StartAsync();
        var date = TranscriptHost.Now.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);
        host.Twilio.Answer(Digi, RecordedConversations.FirstPageUrl(Chat), HttpStatusCode.TooManyRequests, "error-429.json", retryAfter: date);

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal(TimeSpan.FromSeconds(90), read.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "error-500.json")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "error-503.json")]
    public async Task ReadAsync_Twilio5xx_UnavailableNamingPlatformAndStatus(HttpStatusCode status, string recording)
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Answer(Digi, RecordedConversations.FirstPageUrl(Chat), status, recording);

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal($"platform digi: Twilio Conversations answered {(int)status}", read.Reason);
        Assert.Null(read.RetryAfter);
    }

    [Fact]
    public async Task ReadAsync_Twilio503WithRetryAfter_CarriesTheRetryAfter()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Answer(Digi, RecordedConversations.FirstPageUrl(Chat), HttpStatusCode.ServiceUnavailable, "error-503.json", retryAfter: "120");

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal("platform digi: Twilio Conversations answered 503", read.Reason);
        Assert.Equal(TimeSpan.FromMinutes(2), read.RetryAfter);
    }

    [Fact]
    public async Task ReadAsync_FailureOnALaterPage_UnavailableNamingThePageAndNoMessages()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, "messages-page-0.json", "messages-page-1.json")
            .Answer(Digi, RecordedConversations.UrlOf("messages-page-2.json"), HttpStatusCode.ServiceUnavailable, "error-503.json");

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: Twilio Conversations answered 503 (page 3 of the messages)", read.Reason);
        Assert.Empty(read.Messages);
        Assert.Equal(3, host.Twilio.Requests.Count);
    }

    [Fact]
    public async Task ReadAsync_CredentialsRefused_Unavailable()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Answer(Digi, RecordedConversations.FirstPageUrl(Chat), HttpStatusCode.Unauthorized, "error-401.json");

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: Twilio Conversations refused the account's credentials (401)", read.Reason);
    }

    [Fact]
    public async Task ReadAsync_NoAnswerWithinTheTimeout_Unavailable()
    {
        await using var host = await TranscriptHost.StartAsync(s => s["Lifeline:Transcripts:Timeout"] = "00:00:00.2");
        host.Twilio.Hang(Digi, RecordedConversations.FirstPageUrl(Chat));

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: Twilio Conversations did not answer within 00:00:00.2000000", read.Reason);
    }

    [Fact]
    public async Task ReadAsync_ConnectionDropped_Unavailable()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Drop(Digi, RecordedConversations.FirstPageUrl(Chat));

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: could not reach Twilio Conversations (network error: ConnectionError)", read.Reason);
    }

    [Fact]
    public async Task ReadAsync_AnswerIsNotAPageOfMessages_Unavailable()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.AnswerHtml(Digi, RecordedConversations.FirstPageUrl(Chat));

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: Twilio Conversations' answer (200) was not a page of messages", read.Reason);
    }

    [Fact]
    public async Task ReadAsync_NextPageOnAnotherHost_UnavailableLoggedAndNeverAsked()
    {
        await using var host = await TranscriptHost.StartAsync();
        host.Twilio.Pages(Digi, "messages-foreign-next.json");

        var read = await host.Source.ReadAsync("digi", ForeignNext, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: Twilio Conversations' next page is on another host (conversations.twilio.example.net), not followed", read.Reason);
        Assert.Empty(read.Messages);
        Assert.Single(host.Twilio.Requests);
        Assert.Empty(host.Twilio.Violations);
        var logged = Assert.Single(host.Logs, l => l.EventId == 8304);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Contains("conversations.twilio.example.net", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MorePagesThanMaxPages_UnavailableSayingSoAfterMaxPagesRequests()
    {
        await using var host = await TranscriptHost.StartAsync(s => s["Lifeline:Transcripts:MaxPages"] = "2");
        host.Twilio.Pages(Digi, ChatPages);

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Unavailable, read.Status);
        Assert.Equal("platform digi: the transcript has more than 2 pages of messages (Lifeline:Transcripts:MaxPages), not read", read.Reason);
        Assert.Empty(read.Messages);
        Assert.Equal(2, host.Twilio.Requests.Count);
        Assert.Contains(host.Logs, l => l.EventId == 8305);
    }

    [Fact]
    public async Task ReadAsync_ExactlyMaxPages_Found()
    {
        await using var host = await TranscriptHost.StartAsync(s => s["Lifeline:Transcripts:MaxPages"] = "3");
        host.Twilio.Pages(Digi, ChatPages);

        var read = await host.Source.ReadAsync("digi", Chat, Cancel);

        Assert.Equal(TranscriptStatus.Found, read.Status);
        Assert.Equal(ChatMessages.Length, read.Messages.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CH123")]
    [InlineData("ch5e0c6b2d8f94e1ba3c7d9e0f1a2b3c4a")]
    [InlineData("IMa5e0c6b2d8f94e1ba3c7d9e0f1a2b3c4")]
    [InlineData("CHa5e0c6b2d8f94e1ba3c7d9e0f1a2b3c4x")]
    [InlineData("CHa5e0c6b2d8f94e1ba3c7d9e0f1a2b3cg")]
    [InlineData("CH../../Accounts/AC0000000000000000")]
    [InlineData("CHa5e0c6b2d8f94e1ba3c7d9e0f1a2b3c4\n")]
    public async Task ReadAsync_NotAConversationSid_ArgumentExceptionAndNoRequest(string sid)
    {
        await using var host = await TranscriptHost.StartAsync();

        var thrown = await Assert.ThrowsAsync<ArgumentException>(() => host.Source.ReadAsync("digi", sid, Cancel));

        Assert.Equal("conversationSid", thrown.ParamName);
        Assert.Empty(host.Twilio.Requests);
    }

    [Fact]
    public async Task ReadAsync_UpperCaseHexSid_IsAConversationSid()
    {
        await using var host = await TranscriptHost.StartAsync();
        var upper = "CH" + Chat[2..].ToUpperInvariant();

        var read = await host.Source.ReadAsync("digi", upper, Cancel);

        Assert.Equal(TranscriptStatus.NotFound, read.Status);
        Assert.Equal(RecordedConversations.FirstPageUrl(upper), Assert.Single(host.Twilio.Urls));
    }

    [Fact]
    public async Task ReadAsync_UnknownPlatform_ArgumentExceptionAndNoRequest()
    {
        await using var host = await TranscriptHost.StartAsync();

        var thrown = await Assert.ThrowsAsync<ArgumentException>(() => host.Source.ReadAsync("nowhere", Chat, Cancel));

        Assert.Equal("platformId", thrown.ParamName);
        Assert.StartsWith("unknown platform 'nowhere'", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(host.Twilio.Requests);
    }

    [Fact]
    public async Task ReadAsync_EveryOutcome_NeverLogsOrExplainsWithTheAuthToken()
    {
        await using var host = await TranscriptHost.StartAsync(s => s["Lifeline:Transcripts:Timeout"] = "00:00:00.2");
        host.Twilio.Pages(Digi, ChatPages)
            .Pages(Digi, "messages-foreign-next.json")
            .Answer(Digi, RecordedConversations.FirstPageUrl(Deleted), HttpStatusCode.NotFound, "error-404.json")
            .Answer(Digi, RecordedConversations.FirstPageUrl(Empty), HttpStatusCode.TooManyRequests, "error-429.json", retryAfter: "3")
            .Answer(Digi, RecordedConversations.FirstPageUrl(Empty), HttpStatusCode.ServiceUnavailable, "error-503.json")
            .Answer(Digi, RecordedConversations.FirstPageUrl(Empty), HttpStatusCode.Unauthorized, "error-401.json");
        var hangs = "CH" + new string('1', 32);
        var drops = "CH" + new string('2', 32);
        host.Twilio.Hang(Digi, RecordedConversations.FirstPageUrl(hangs)).Drop(Digi, RecordedConversations.FirstPageUrl(drops));

        List<TranscriptRead> reads = [];
        foreach (var sid in new[] { Chat, ForeignNext, Deleted, Empty, Empty, Empty, hangs, drops })
        {
            reads.Add(await host.Source.ReadAsync("digi", sid, Cancel));
        }

        Assert.Equal(
            [TranscriptStatus.Found, TranscriptStatus.Unavailable, TranscriptStatus.NotFound, TranscriptStatus.Unavailable,
             TranscriptStatus.Unavailable, TranscriptStatus.Unavailable, TranscriptStatus.Unavailable, TranscriptStatus.Unavailable],
            reads.Select(r => r.Status));
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Digi}:{TestPlatforms.DigiToken}"));
        Assert.NotEmpty(host.Logs);
        Assert.Contains(host.Logs, l => l.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.All(host.Logs, l =>
        {
            Assert.DoesNotContain(TestPlatforms.DigiToken, l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials, l.Message, StringComparison.Ordinal);
        });
        Assert.All(reads, r => Assert.DoesNotContain(TestPlatforms.DigiToken, r.Reason ?? "", StringComparison.Ordinal));
    }
}
