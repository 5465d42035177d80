using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

/// <summary>One request Twilio's Conversations API received, and the account whose credentials it carried.</summary>
internal sealed record ConversationsRequest(HttpMethod Method, Uri Url, string? Account);

/// <summary>
/// Twilio's Conversations API for the tests: the Messages list of a conversation, answered with the responses
/// under <c>tests/fixtures/twilio-conversations/</c> (the shapes of twilio README §9 and Twilio's public API;
/// representative, not captured, and with pages shorter than the 100 messages a real full page holds). A
/// recorded page is served at the URL its own <c>meta.url</c> names, page 0 at the first-page request
/// <c>…/Messages?Order=asc&amp;PageSize=100</c>, so a client that follows <c>next_page_url</c> exactly gets the
/// next page. Every request is checked as Twilio would — GET, no body, the Messages path, HTTP Basic with the
/// credentials of a known account — and a bad one is answered 401 or 404 and recorded in
/// <see cref="Violations"/>. A conversation not set up for the account is answered 404, as Twilio answers
/// another account's (or a deleted) conversation.
/// </summary>
internal sealed partial class RecordedConversations : HttpMessageHandler
{
    public const string Host = "conversations.twilio.com";

    private static readonly Dictionary<string, string> AuthTokens = new(StringComparer.Ordinal)
    {
        [TestPlatforms.DigiAccount] = TestPlatforms.DigiToken,
        [TestPlatforms.CissAccount] = TestPlatforms.CissToken,
    };

    private readonly ConcurrentDictionary<(string Account, string Url), ConcurrentQueue<Reply>> _replies = new();

    public ConcurrentQueue<ConversationsRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>The URLs asked for, in order.</summary>
    public List<string> Urls => [.. Requests.Select(r => r.Url.AbsoluteUri)];

    /// <summary>The first request a reader makes for a conversation's messages.</summary>
    public static string FirstPageUrl(string conversationSid) =>
        $"https://{Host}/v1/Conversations/{conversationSid}/Messages?Order=asc&PageSize=100";

    public static string Recorded(string name) =>
        File.ReadAllText(Path.Combine(Repository.Root, "tests", "fixtures", "twilio-conversations", name));

    /// <summary>The <c>meta.url</c> of a recorded page: where Twilio serves it (page 0: <see cref="FirstPageUrl"/>).</summary>
    public static string UrlOf(string recording)
    {
        using var document = JsonDocument.Parse(Recorded(recording));
        var meta = document.RootElement.GetProperty("meta");
        if (meta.GetProperty("page").GetInt32() == 0)
        {
            var conversation = PagePath().Match(new Uri(meta.GetProperty("url").GetString()!).AbsolutePath).Groups["conversation"].Value;
            return FirstPageUrl(conversation);
        }

        return meta.GetProperty("url").GetString()!;
    }

    /// <summary>Serves these recorded pages to <paramref name="account"/>, each at its own URL.</summary>
    public RecordedConversations Pages(string account, params string[] recordings)
    {
        foreach (var recording in recordings)
        {
            Answer(account, UrlOf(recording), HttpStatusCode.OK, recording);
        }

        return this;
    }

    /// <summary>
    /// Answers <paramref name="url"/> for <paramref name="account"/> with this recording (after the answers set up
    /// before it; the last one repeats), with a <c>Retry-After</c> header when one is given.
    /// </summary>
    public RecordedConversations Answer(string account, string url, HttpStatusCode status, string recording, string? retryAfter = null) =>
        Enqueue(account, url, new Reply(status, Recorded(recording), retryAfter, Fault.None));

    /// <summary>A 200 whose body is not JSON, as a proxy in the way might answer.</summary>
    public RecordedConversations AnswerHtml(string account, string url) =>
        Enqueue(account, url, new Reply(HttpStatusCode.OK, "<html><body>Service temporarily unavailable</body></html>", null, Fault.Html));

    /// <summary>Never answers <paramref name="url"/>: the client's timeout ends the request.</summary>
    public RecordedConversations Hang(string account, string url) =>
        Enqueue(account, url, new Reply(HttpStatusCode.OK, "", null, Fault.Hang));

    /// <summary>Drops the connection for <paramref name="url"/>.</summary>
    public RecordedConversations Drop(string account, string url) =>
        Enqueue(account, url, new Reply(HttpStatusCode.OK, "", null, Fault.Drop));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri ?? throw new InvalidOperationException("a request without a URL");
        var account = BasicAccount(request, out var password);
        Requests.Enqueue(new ConversationsRequest(request.Method, url, account));
        if (url.Host != Host || url.Scheme != Uri.UriSchemeHttps)
        {
            return Refuse($"a request to an unexpected host: {request.Method} {url}", HttpStatusCode.NotFound);
        }

        if (request.Method != HttpMethod.Get || request.Content is not null || !PagePath().IsMatch(url.AbsolutePath))
        {
            return Refuse($"not a read of a conversation's messages: {request.Method} {url}", HttpStatusCode.NotFound);
        }

        if (account is null || !AuthTokens.TryGetValue(account, out var expected) || password != expected)
        {
            return Refuse($"a read with the credentials of {account ?? "nobody"}", HttpStatusCode.Unauthorized);
        }

        if (!_replies.TryGetValue((account, url.AbsoluteUri), out var replies) || replies.IsEmpty)
        {
            return Answer(new Reply(HttpStatusCode.NotFound, Recorded("error-404.json"), null, Fault.None));
        }

        var reply = replies.Count > 1 && replies.TryDequeue(out var next) ? next : replies.TryPeek(out var last) ? last : throw new InvalidOperationException();
        switch (reply.Fault)
        {
            case Fault.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            case Fault.Drop:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "The connection was closed by the remote host.");
            default:
                return Answer(reply);
        }
    }

    private RecordedConversations Enqueue(string account, string url, Reply reply)
    {
        _replies.GetOrAdd((account, new Uri(url).AbsoluteUri), _ => new ConcurrentQueue<Reply>()).Enqueue(reply);
        return this;
    }

    private static string? BasicAccount(HttpRequestMessage request, out string? password)
    {
        password = null;
        if (request.Headers.Authorization is not { Scheme: "Basic", Parameter: { } parameter })
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        password = colon < 0 ? null : pair[(colon + 1)..];
        return colon < 0 ? pair : pair[..colon];
    }

    private HttpResponseMessage Refuse(string violation, HttpStatusCode status)
    {
        Violations.Enqueue(violation);
        return Answer(new Reply(status, Recorded(status == HttpStatusCode.Unauthorized ? "error-401.json" : "error-404.json"), null, Fault.None));
    }

    private static HttpResponseMessage Answer(Reply reply)
    {
        var response = new HttpResponseMessage(reply.Status)
        {
            Content = new StringContent(reply.Body, Encoding.UTF8, reply.Fault == Fault.Html ? "text/html" : "application/json"),
        };
        if (reply.RetryAfter is { } retryAfter)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    [GeneratedRegex("^/v1/Conversations/(?<conversation>CH[0-9a-fA-F]{32})/Messages$")]
    private static partial Regex PagePath();

    private enum Fault
    {
        None,
        Html,
        Hang,
        Drop,
    }

    private sealed record Reply(HttpStatusCode Status, string Body, string? RetryAfter, Fault Fault);
}
