using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Access.Flex;

/// <summary>One request Twilio received: which account's credentials it carried and, for a validation, the token sent.</summary>
internal sealed record TwilioRequest(HttpMethod Method, Uri Url, string? Account, string? Token);

/// <summary>
/// Twilio's identity service (token validation) and TaskRouter's Worker resource for the tests, answering with
/// responses in the shapes of twilio README §8 and the TaskRouter REST API (files under <c>Recorded/</c>;
/// representative, not captured). It checks every request as Twilio would — method, URL, HTTP Basic with the
/// credentials of the account the URL names, a JSON body <c>{"token":…}</c> — answers a bad one 401 and
/// records it in <see cref="Violations"/>. A token no test set up for an account is refused as Twilio refuses
/// another account's token.
/// </summary>
internal sealed partial class RecordedTwilio : HttpMessageHandler
{
    public const string IamHost = "iam.twilio.com";
    public const string TaskRouterHost = "taskrouter.twilio.com";

    private static readonly Dictionary<string, string> AuthTokens = new(StringComparer.Ordinal)
    {
        [TestPlatforms.DigiAccount] = TestPlatforms.DigiToken,
        [TestPlatforms.CissAccount] = TestPlatforms.CissToken,
    };

    private static readonly Dictionary<string, string> AccountOfWorkspace = new(StringComparer.Ordinal)
    {
        [TestPlatforms.DigiWorkspace] = TestPlatforms.DigiAccount,
        [TestPlatforms.CissWorkspace] = TestPlatforms.CissAccount,
    };

    private readonly ConcurrentDictionary<(string Account, string Token), ConcurrentQueue<Reply>> _validations = new();
    private readonly ConcurrentDictionary<(string Workspace, string Worker), Reply> _workers = new();

    public ConcurrentQueue<TwilioRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>The validation requests received for <paramref name="token"/>, in order, by account.</summary>
    public List<string?> ValidationsOf(string token) =>
        [.. Requests.Where(r => r.Url.Host == IamHost && r.Token == token).Select(r => r.Account)];

    public List<TwilioRequest> WorkerReads => [.. Requests.Where(r => r.Url.Host == TaskRouterHost)];

    /// <summary>
    /// <paramref name="account"/> answers validations of <paramref name="token"/> with these recordings in turn
    /// (the last one repeats).
    /// </summary>
    public RecordedTwilio Validates(string account, string token, params (HttpStatusCode Status, string Recording)[] replies)
    {
        var queue = _validations.GetOrAdd((account, token), _ => new ConcurrentQueue<Reply>());
        foreach (var (status, recording) in replies)
        {
            queue.Enqueue(new Reply(status, Recorded(recording)));
        }

        return this;
    }

    public RecordedTwilio Validates(string account, string token, string recording) => Validates(account, token, (HttpStatusCode.OK, recording));

    public RecordedTwilio Worker(string workspace, string worker, string recording, HttpStatusCode status = HttpStatusCode.OK)
    {
        _workers[(workspace, worker)] = new Reply(status, Recorded(recording));
        return this;
    }

    public static string Recorded(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Access", "Flex", "Recorded", name));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri ?? throw new InvalidOperationException("a request without a URL");
        var account = BasicAccount(request, out var password);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        switch (url.Host)
        {
            case IamHost:
                return Validation(request, url, account, password, body);
            case TaskRouterHost:
                Requests.Enqueue(new TwilioRequest(request.Method, url, account, null));
                return WorkerRead(request, url, account, password);
            default:
                return Refuse($"a request to an unexpected host: {request.Method} {url}", HttpStatusCode.NotFound);
        }
    }

    private HttpResponseMessage Validation(HttpRequestMessage request, Uri url, string? account, string? password, string? body)
    {
        var token = TokenOf(body);
        Requests.Enqueue(new TwilioRequest(request.Method, url, account, token));
        var match = ValidatePath().Match(url.AbsolutePath);
        if (request.Method != HttpMethod.Post || !match.Success || url.Query.Length > 0)
        {
            return Refuse($"not a token validation: {request.Method} {url}", HttpStatusCode.NotFound);
        }

        var pathAccount = match.Groups["account"].Value;
        if (account != pathAccount || !AuthTokens.TryGetValue(pathAccount, out var expected) || password != expected)
        {
            return Refuse($"validation for {pathAccount} with the credentials of {account ?? "nobody"}", HttpStatusCode.Unauthorized);
        }

        if (request.Content?.Headers.ContentType?.MediaType != "application/json" || token is null)
        {
            return Refuse($"validation body is not JSON {{\"token\":…}}: {request.Content?.Headers.ContentType} {body?.Length ?? 0} chars", HttpStatusCode.BadRequest);
        }

        if (_validations.TryGetValue((pathAccount, token), out var replies) && !replies.IsEmpty)
        {
            var reply = replies.Count > 1 && replies.TryDequeue(out var next) ? next : replies.TryPeek(out var last) ? last : throw new InvalidOperationException();
            return Answer(reply);
        }

        return Answer(new Reply(HttpStatusCode.OK, Recorded("validate-invalid.json")));
    }

    private HttpResponseMessage WorkerRead(HttpRequestMessage request, Uri url, string? account, string? password)
    {
        var match = WorkerPath().Match(url.AbsolutePath);
        if (request.Method != HttpMethod.Get || !match.Success)
        {
            return Refuse($"not a worker read: {request.Method} {url}", HttpStatusCode.NotFound);
        }

        var workspace = match.Groups["workspace"].Value;
        if (!AccountOfWorkspace.TryGetValue(workspace, out var owner) || account != owner || password != AuthTokens[owner])
        {
            return Refuse($"worker read in {workspace} with the credentials of {account ?? "nobody"}", HttpStatusCode.Unauthorized);
        }

        return _workers.TryGetValue((workspace, match.Groups["worker"].Value), out var reply)
            ? Answer(reply)
            : Answer(new Reply(HttpStatusCode.NotFound, """{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"""));
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

    /// <summary>The token of a body that is exactly <c>{"token":"…"}</c>, else null.</summary>
    private static string? TokenOf(string? body)
    {
        if (body is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Count() == 1
                && root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                ? token.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private HttpResponseMessage Refuse(string violation, HttpStatusCode status)
    {
        Violations.Enqueue(violation);
        return Answer(new Reply(status, Recorded("error-401.json")));
    }

    private static HttpResponseMessage Answer(Reply reply) =>
        new(reply.Status) { Content = new StringContent(reply.Body, Encoding.UTF8, "application/json") };

    [GeneratedRegex("^/v1/Accounts/(?<account>AC[0-9a-f]{32})/Tokens/validate$")]
    private static partial Regex ValidatePath();

    [GeneratedRegex("^/v1/Workspaces/(?<workspace>WS[0-9a-f]{32})/Workers/(?<worker>WK[0-9a-f]{32})$")]
    private static partial Regex WorkerPath();

    private sealed record Reply(HttpStatusCode Status, string Body);
}
