using System.Net;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Host.Tests.Conversations.Transcripts;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Access;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Conversations;

/// <summary>
/// <c>GET …/conversations/{taskSid}/transcript</c> end to end: the fixture story's chat, here linked to the recorded
/// Twilio conversation (three pages: system, CS and ISS messages, a media message), read through the engine.
/// </summary>
public sealed class TranscriptApiTests : IAsyncLifetime
{
    private const string Task = "WT000000000000000000000000d1000001";
    private const string Recorded = RecordedStory.ConversationSid;
    private const string Account = TestPlatforms.DigiAccount;

    private readonly RecordedConversations _twilio = new();
    private LifelineHostFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = new LifelineHostFactory(services: s => s.AddHttpClient(TranscriptDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _twilio));
        await RecordedStory.AppendAsync(_factory, Ct);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(string token)
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync(new Uri($"/api/platforms/digi/conversations/{Task}/transcript", UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response);
    }

    [Fact]
    public async Task Transcript_EveryPageInOrder_AuthorsToldApart_MediaNamed_AndTheViewAudited()
    {
        _twilio.Pages(Account, "messages-page-0.json", "messages-page-1.json", "messages-page-2.json");
        var leader = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"], subject: "stl-transcript");

        var (status, body, _) = await GetAsync(leader);

        Assert.Equal(HttpStatusCode.OK, status);
        var messages = body!["messages"]!.AsArray();
        Assert.Equal(9, messages.Count);
        Assert.Equal(messages.Select(m => m!["index"]!.GetValue<int>()).Order(), messages.Select(m => m!["index"]!.GetValue<int>()));
        Assert.Equal(["system", "cs", "iss"], messages.Select(m => m!["author"]!.GetValue<string>()).Distinct());
        Assert.Equal(3, messages.Count(m => m!["author"]!.GetValue<string>() == "iss"));
        Assert.Contains("Alex Example", messages.Where(m => m!["author"]!.GetValue<string>() == "iss").Select(m => m!["authorName"]!.GetValue<string>()));
        Assert.Equal("Jamie Citizen", messages.First(m => m!["author"]!.GetValue<string>() == "cs")!["authorName"]!.GetValue<string>());
        Assert.Contains(messages, m => m!["media"]!.AsArray().Count > 0 && m["media"]![0]!["name"]!.GetValue<string>().Length > 0);
        Assert.Equal("Australia/Sydney", body["timeZone"]!.GetValue<string>());
        Assert.Empty(_twilio.Violations);

        using var scope = _factory.Services.CreateScope();
        var audit = await _factory.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.TranscriptViewed, Actor: "stl-transcript"), Ct);
        Assert.Equal(($"digi/{Task}", "found"), (Assert.Single(audit).Target, audit[0].Outcome));
    }

    [Fact]
    public async Task Transcript_DeletedAtTwilio_SaysSoPlainly()
    {
        _twilio.Answer(Account, RecordedConversations.FirstPageUrl(Recorded), HttpStatusCode.NotFound, "error-404.json");

        var (status, body, _) = await GetAsync(TestTokens.Admin);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"Twilio no longer holds conversation {Recorded}: it was deleted or has expired", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transcript_TwilioBusy_Is503WithRetryAfter_AndNoCrash()
    {
        _twilio.Answer(Account, RecordedConversations.FirstPageUrl(Recorded), HttpStatusCode.TooManyRequests, "error-429.json", retryAfter: "7");

        var (status, body, response) = await GetAsync(TestTokens.Admin);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("7", response.Headers.RetryAfter?.ToString());
        Assert.EndsWith("; try again later", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        response.Dispose();
    }

    [Fact]
    public async Task Transcript_DataAnalystOrAnotherTeam_IsRefused_AndTwilioIsNeverAsked()
    {
        var (analyst, _, _) = await GetAsync(TestTokens.Issue([Roles.DataAnalyst], platforms: ["digi"]));
        var (otherTeam, _, _) = await GetAsync(TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team B"]));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (analyst, otherTeam));
        Assert.Empty(_twilio.Requests);
    }
}

/// <summary>
/// The DIGI fixture story journaled as the webhooks would have committed it, its chat linked to the recorded Twilio
/// conversation (tests/fixtures/twilio-conversations) and the ISS who took it given the Flex identity that writes in it (Blake, offered first, writes too).
/// </summary>
internal static class RecordedStory
{
    public const string ConversationSid = "CHa5e0c6b2d8f94e1ba3c7d9e0f1a2b3c4";

    public static async Task AppendAsync(LifelineHostFactory factory, CancellationToken cancellationToken)
    {
        var entries = Fixtures.FormNames.Select(name =>
        {
            var body = Fixtures.Text(name).Replace("CH000000000000000000000000d1000001", ConversationSid, StringComparison.Ordinal)
                .Replace("alex_2Eexample_40example_2Eorg", "rowan_2Etest_40example_2Eorg", StringComparison.Ordinal);
            var parsed = LifelineRealtime.Domain.TaskRouter.Parsing.TaskRouterEventParser.ParseFormBody(body);
            return parsed.Event is { } e
                ? new LifelineRealtime.Storage.Journal.JournalEntry(name.Contains("transfer", StringComparison.Ordinal) ? "ciss" : "digi", e, LifelineRealtime.Storage.Journal.JournalWireFormat.Form, body)
                : null;
        }).OfType<LifelineRealtime.Storage.Journal.JournalEntry>().ToList();
        var results = await factory.Journal.AppendAsync(entries);
        await factory.Services.GetRequiredService<LifelineRealtime.Grains.Dispatch.JournalDispatcher>().WaitForDispatchAsync(results.Max(r => r.Sequence), cancellationToken);
    }
}
