using System.Net;
using System.Text.Json;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Access.Flex;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Host.Tests.Access.Flex;

/// <summary>
/// Sign-in with a Flex user token through the real host, Twilio answering from recordings: the token maps to
/// the roles, platform and teams of design §8, and whatever is not a valid, unexpired token that Twilio
/// confirmed is 401.
/// </summary>
public sealed class FlexSignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Digi = TestPlatforms.DigiAccount;
    private const string Ciss = TestPlatforms.CissAccount;

    [Fact]
    public async Task FlexToken_SupervisorWhoseWorkerIsATeamLeader_ReadsItsTeamNotAnotherNorTheAdminViews()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("leader");
        host.Twilio.Validates(Digi, token, "validate-supervisor.json").Worker(TestPlatforms.DigiWorkspace, FlexHost.LeaderWorker, "worker-supervisor.json");
        await host.KnowDigiTeamsAsync(Ct, "Night Team", "Day Team");
        using var client = host.Client(token);

        using var own = await client.GetAsync("/api/platforms/digi/teams/Night%20Team/live", Ct);
        using var other = await client.GetAsync("/api/platforms/digi/teams/Day%20Team/live", Ct);
        using var platform = await client.GetAsync("/api/platforms/digi/live", Ct);
        using var ciss = await client.GetAsync("/api/platforms/ciss/queues/WQ00000000000000000000000000000001/live", Ct);
        using var admin = await client.GetAsync("/api/admin/quarantine", Ct);

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.Forbidden),
            (own.StatusCode, other.StatusCode, platform.StatusCode, ciss.StatusCode, admin.StatusCode));

        // Validated once (by digi's account, the first configured), then served from the cache; the worker read once.
        Assert.Equal([Digi], host.Twilio.ValidationsOf(token));
        Assert.Equal([$"https://taskrouter.twilio.com/v1/Workspaces/{TestPlatforms.DigiWorkspace}/Workers/{FlexHost.LeaderWorker}"], host.Twilio.WorkerReads.Select(r => r.Url.ToString()));
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_FlexAdmin_ReadsTheAdminQuarantineView()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("admin");
        host.Twilio.Validates(Digi, token, "validate-admin.json").Worker(TestPlatforms.DigiWorkspace, FlexHost.AdminWorker, "worker-admin.json");
        using var client = host.Client(token);

        using var quarantine = await client.GetAsync("/api/admin/quarantine", Ct);
        using var ciss = await client.GetAsync("/api/platforms/ciss/live", Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (quarantine.StatusCode, ciss.StatusCode));
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_NoAccountCallsItValid_Is401AndTheRefusalIsRememberedBriefly()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("forged");
        using var client = host.Client(token);

        using var first = await client.GetAsync("/api/platforms", Ct);
        using var again = await client.GetAsync("/api/platforms", Ct);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        using var later = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (first.StatusCode, again.StatusCode, later.StatusCode));
        Assert.Contains(FlexTokenDefaults.Scheme, first.Headers.WwwAuthenticate.Select(h => h.Scheme));

        // Each account in configured order; the repeat within 30 s asked no one; after that, both again.
        Assert.Equal([Digi, Ciss, Digi, Ciss], host.Twilio.ValidationsOf(token));
        Assert.Empty(host.Twilio.WorkerReads);
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_WhoseWorkerSidHasATrailingNewline_Is401AndNoWorkerIsRead()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("newline");
        host.Twilio.Validates(Digi, token, "validate-worker-sid-newline.json").Worker(TestPlatforms.DigiWorkspace, FlexHost.AdminWorker, "worker-admin.json");
        using var client = host.Client(token);

        using var response = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Twilio.WorkerReads);
    }

    [Fact]
    public async Task FlexToken_ValidatedButItsExpirationHasPassed_Is401()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("lapsed");
        host.Twilio.Validates(Digi, token, "validate-lapsed.json").Worker(TestPlatforms.DigiWorkspace, FlexHost.LeaderWorker, "worker-supervisor.json");
        using var client = host.Client(token);

        using var response = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([Digi], host.Twilio.ValidationsOf(token));
        Assert.Empty(host.Twilio.WorkerReads);
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_CachedUntilTheCapThenPastItsExpiration_IsValidatedAgainAndRefused()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("leader");
        host.Twilio
            .Validates(Digi, token, (HttpStatusCode.OK, "validate-supervisor.json"), (HttpStatusCode.OK, "validate-supervisor.json"), (HttpStatusCode.OK, "validate-expired.json"))
            .Worker(TestPlatforms.DigiWorkspace, FlexHost.LeaderWorker, "worker-supervisor.json");
        using var client = host.Client(token);

        using var first = await client.GetAsync("/api/platforms", Ct);
        host.Clock.Advance(TimeSpan.FromMinutes(4));
        using var cached = await client.GetAsync("/api/platforms", Ct);
        var cachedCalls = host.Twilio.ValidationsOf(token).Count;
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        using var revalidated = await client.GetAsync("/api/platforms", Ct);
        host.Clock.SetUtcNow(FlexHost.RecordedExpiration);
        using var expired = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized),
            (first.StatusCode, cached.StatusCode, revalidated.StatusCode, expired.StatusCode));
        Assert.Equal(1, cachedCalls);

        // Twilio now calls it expired; ciss's account, asked next, does not know it.
        Assert.Equal([Digi, Digi, Digi, Ciss], host.Twilio.ValidationsOf(token));
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_TwilioAnswers503_Is401NotRememberedAndTheLogSaysWhyWithoutTheToken()
    {
        await using var host = new FlexHost(s => s["Logging:LogLevel:Default"] = "Trace");
        var token = FlexHost.Token("outage");
        host.Twilio
            .Validates(Digi, token, (HttpStatusCode.ServiceUnavailable, "error-503.json"))
            .Validates(Ciss, token, (HttpStatusCode.ServiceUnavailable, "error-503.json"));
        using var client = host.Client(token);

        using var first = await client.GetAsync("/api/platforms", Ct);
        using var again = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (first.StatusCode, again.StatusCode));
        Assert.Equal([Digi, Ciss, Digi, Ciss], host.Twilio.ValidationsOf(token));
        var warnings = host.Logs.Where(l => l is { EventId: 8001, Level: LogLevel.Warning }).Select(l => l.Message).ToList();
        Assert.Equal(4, warnings.Count);
        Assert.Contains("Flex token sign-in refused: Twilio could not validate it with platform digi's account: Twilio answered 503", warnings);
        Assert.Contains("Flex token sign-in refused: Twilio could not validate it with platform ciss's account: Twilio answered 503", warnings);
        Assert.All(host.Logs, l =>
        {
            Assert.DoesNotContain(token, l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(token[^20..], l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(TestPlatforms.DigiToken, l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(TestPlatforms.CissToken, l.Message, StringComparison.Ordinal);
        });
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_ValidButTaskRouterAnswers503ForItsWorker_Is401AndNotRemembered()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("leader");
        host.Twilio
            .Validates(Digi, token, "validate-supervisor.json")
            .Worker(TestPlatforms.DigiWorkspace, FlexHost.LeaderWorker, "error-503.json", HttpStatusCode.ServiceUnavailable);
        using var client = host.Client(token);

        using var first = await client.GetAsync("/api/platforms", Ct);
        using var again = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (first.StatusCode, again.StatusCode));
        Assert.Equal([Digi, Digi], host.Twilio.ValidationsOf(token));
        Assert.Equal(
            ["Flex token sign-in refused: platform digi's account validated it but its worker could not be read from TaskRouter: TaskRouter answered 503"],
            host.Logs.Where(l => l is { EventId: 8004, Level: LogLevel.Warning }).Select(l => l.Message).Distinct());
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_FlexSignInSwitchedOff_Is401WithoutAskingTwilio()
    {
        await using var host = new FlexHost(s => s["Lifeline:Auth:Flex:Enabled"] = "false");
        var token = FlexHost.Token("admin");
        host.Twilio.Validates(Digi, token, "validate-admin.json");
        using var client = host.Client(token);

        using var response = await client.GetAsync("/api/platforms", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Twilio.Requests);
    }

    [Fact]
    public async Task FlexToken_OfTheSecondPlatformsAccount_GrantsThatPlatformOnly()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("analyst");
        host.Twilio.Validates(Ciss, token, "validate-analyst.json").Worker(TestPlatforms.CissWorkspace, FlexHost.AnalystWorker, "worker-analyst.json");
        using var client = host.Client(token);

        var platforms = JsonDocument.Parse(await client.GetStringAsync("/api/platforms", Ct)).RootElement;
        using var ciss = await client.GetAsync("/api/platforms/ciss/live", Ct);
        using var digi = await client.GetAsync("/api/platforms/digi/live", Ct);

        Assert.Equal(["ciss"], platforms.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (ciss.StatusCode, digi.StatusCode));
        Assert.Equal([Digi, Ciss], host.Twilio.ValidationsOf(token));
        Assert.Equal([Ciss], host.Twilio.WorkerReads.Select(r => r.Account));
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task FlexToken_RouteNamesAPlatform_ThatPlatformsAccountIsAskedFirst()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("analyst");
        host.Twilio.Validates(Ciss, token, "validate-analyst.json").Worker(TestPlatforms.CissWorkspace, FlexHost.AnalystWorker, "worker-analyst.json");
        using var client = host.Client(token);

        using var ciss = await client.GetAsync("/api/platforms/ciss/live", Ct);

        Assert.Equal(HttpStatusCode.OK, ciss.StatusCode);
        Assert.Equal([Ciss], host.Twilio.ValidationsOf(token));
    }

    [Fact]
    public async Task Hub_FlexTokenInTheQuery_SignsInAndSubscribes()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("admin");
        host.Twilio.Validates(Digi, token, "validate-admin.json").Worker(TestPlatforms.DigiWorkspace, FlexHost.AdminWorker, "worker-admin.json");
        await using var hub = Connect(host, token);
        var snapshot = new TaskCompletionSource<MetricsSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<MetricsSnapshot>("Snapshot", s => snapshot.TrySetResult(s));

        await hub.StartAsync(Ct);
        await hub.InvokeAsync("Subscribe", "digi", "platform", "digi", "1h", Ct);
        var received = await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.NotNull(received);
        Assert.Equal([Digi], host.Twilio.ValidationsOf(token));
        Assert.Empty(host.Twilio.Violations);
    }

    [Fact]
    public async Task Hub_InvalidFlexTokenInTheQuery_Is401()
    {
        await using var host = new FlexHost();
        var token = FlexHost.Token("forged");
        await using var hub = Connect(host, token);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync(Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal([Digi, Ciss], host.Twilio.ValidationsOf(token));
    }

    private static HubConnection Connect(FlexHost host, string token)
    {
        var server = host.Factory.Server;
        var url = new Uri(server.BaseAddress, $"/hubs/wallboard?{FlexTokenDefaults.QueryName}={Uri.EscapeDataString(token)}");
        return new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions = new JsonSerializerOptions(LifelineJson.Options))
            .Build();
    }
}
