using LifelineRealtime.Host.Conversations.Transcripts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

public sealed class TranscriptOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoFailures()
    {
        var options = new TranscriptOptions();

        Assert.Empty(options.Validate());
        Assert.Equal("https://conversations.twilio.com", options.ConversationsBaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(30, options.CacheSeconds);
        Assert.Equal(50, options.MaxPages);
    }

    [Fact]
    public void Validate_EveryBadSetting_OneLineNamingItsKey()
    {
        var options = new TranscriptOptions
        {
            ConversationsBaseUrl = "http://conversations.twilio.com",
            Timeout = TimeSpan.Zero,
            CacheSeconds = -1,
            MaxPages = 0,
        };

        Assert.Equal(
            [
                "Lifeline:Transcripts:ConversationsBaseUrl must be an absolute https URL with no path, query or user (http only on loopback), got 'http://conversations.twilio.com'.",
                "Lifeline:Transcripts:Timeout must be more than 00:00:00 and at most 00:01:00 (got 00:00:00).",
                "Lifeline:Transcripts:CacheSeconds must be between 0 and 3600 (got -1).",
                "Lifeline:Transcripts:MaxPages must be between 1 and 1000 (got 0).",
            ],
            options.Validate());
    }

    [Theory]
    [InlineData("https://conversations.twilio.com", true)]
    [InlineData("https://conversations.twilio.com/", true)]
    [InlineData("http://127.0.0.1:5099", true)]
    [InlineData("https://conversations.twilio.com/v1", false)]
    [InlineData("https://conversations.twilio.com?x=1", false)]
    [InlineData("https://user:secret@conversations.twilio.com", false)]
    [InlineData("conversations.twilio.com", false)]
    [InlineData("", false)]
    public void Validate_ConversationsBaseUrl(string url, bool valid)
    {
        Assert.Equal(valid, new TranscriptOptions { ConversationsBaseUrl = url }.Validate().Count == 0);
    }

    [Fact]
    public async Task AddTranscripts_BadSettingAtStart_HostRefusesToStartNamingTheKey()
    {
        var (host, _, _, _) = TranscriptHost.Build(s => s["Lifeline:Transcripts:MaxPages"] = "0");
        using (host)
        {
            var thrown = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

            Assert.Equal(["Lifeline:Transcripts:MaxPages must be between 1 and 1000 (got 0)."], thrown.Failures);
        }
    }

    [Fact]
    public void AddTranscripts_Configured_BindsTheSection()
    {
        var (host, _, _, _) = TranscriptHost.Build(s =>
        {
            s["Lifeline:Transcripts:ConversationsBaseUrl"] = "http://127.0.0.1:5099";
            s["Lifeline:Transcripts:Timeout"] = "00:00:05";
            s["Lifeline:Transcripts:CacheSeconds"] = "10";
            s["Lifeline:Transcripts:MaxPages"] = "20";
        });
        using (host)
        {
            var options = host.Services.GetRequiredService<IOptions<TranscriptOptions>>().Value;

            Assert.Equal(("http://127.0.0.1:5099", TimeSpan.FromSeconds(5), 10, 20), (options.ConversationsBaseUrl, options.Timeout, options.CacheSeconds, options.MaxPages));
        }
    }
}
