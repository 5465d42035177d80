using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Host.Tests.Wallboard;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>
/// One host with the DIGI story and two kiosk tokens (one revoked), asked by every caller of the matrix; its
/// TaskRouter is the recorded double, holding one pending and one wrapping task for the task-fix column.
/// </summary>
public sealed class AccessMatrixHost : IAsyncLifetime
{
    public const string Queue = "WQ000000000000000000000000000d1001";
    public const string WorkerA = "WK000000000000000000000000000b1a6e";
    public const string WorkerB = "WK0000000000000000000000000000ca5e";
    public const string PendingTask = "WT00000000000000000000000000fe0001";
    public const string WrappingTask = "WT00000000000000000000000000fe0002";

    private TaskRouterDouble? _twilio;

    internal LifelineHostFactory Factory { get; private set; } = null!;

    public string Kiosk { get; private set; } = "";

    public string RevokedKiosk { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _twilio = await TaskRouterDouble.StartAsync(ct);
        _twilio.Task(TestPlatforms.DigiWorkspace, PendingTask, "pending").Task(TestPlatforms.DigiWorkspace, WrappingTask, "wrapping");
        Factory = new LifelineHostFactory(_twilio.Configure);
        using var admin = Factory.CreateClient();
        foreach (var name in Fixtures.FormNames)
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await admin.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await Factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(Factory.Journal.HighWaterSequence, timeout.Token);

        Kiosk = await IssueKioskAsync(admin, "Team A wall", ct);
        RevokedKiosk = await IssueKioskAsync(admin, "Old Team A wall", ct);
        var id = RevokedKiosk.Split('_')[1];
        using var revoked = await admin.DeleteAsync(new Uri($"/api/admin/kiosk-tokens/{id}", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_twilio is not null)
        {
            await _twilio.DisposeAsync();
        }
    }

    private static async Task<string> IssueKioskAsync(HttpClient admin, string label, CancellationToken ct)
    {
        using var response = await admin.PostAsJsonAsync(
            new Uri("/api/admin/kiosk-tokens", UriKind.Relative), new { label, platformId = "digi", scope = "team", id = "Team A" }, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("token").GetString()!;
    }
}

/// <summary>
/// Every cell of <see cref="AccessMatrix.Table"/>, asked of the real host: the statuses each caller gets on
/// every surface, and docs/access.md rendered from the same table.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixHost host) : IClassFixture<AccessMatrixHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Reads = ["metrics?window=today", "logged-status?window=today", "live", "report?from=2026-11-24&to=2026-11-24&interval=day"];

    public static TheoryData<string> Callers => [.. AccessMatrix.Rows.Select(r => r.Caller)];

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Caller_EverySurface_AnswersTheTablesStatus(string caller)
    {
        var expected = AccessMatrix.Rows.Single(r => r.Caller == caller);
        var token = Token(caller);
        var actual = new List<int>();
        foreach (var column in AccessMatrix.Header)
        {
            var statuses = column.StartsWith("hub ", StringComparison.Ordinal)
                ? [await HubAsync(column, token)]
                : await HttpAsync(column, token);

            // Every request of a column answers alike, or the column's cell cannot describe it.
            actual.Add(statuses.Distinct().Count() == 1 ? statuses[0] : -statuses.Max());
        }

        Assert.Equal(AccessMatrix.Format(caller, AccessMatrix.Header.Select(c => expected.Statuses[c])), AccessMatrix.Format(caller, actual));
    }

    [Fact]
    public void Docs_AccessPage_IsTheTableRendered()
    {
        var path = Path.Combine(Repository.Root, "docs", "access.md");
        var rendered = AccessMatrix.Render();
        if (Environment.GetEnvironmentVariable("LIFELINE_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, rendered);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run this test with LIFELINE_WRITE_DOCS=1 to write it");
        Assert.Equal(rendered, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Platforms_TeamLeader_ListsOnlyItsTeamsAndTheirWorkers()
    {
        using var leader = Client(Token("wfo.team_leader digi Team A"));
        using var admin = Client(TestTokens.Admin);

        using var json = JsonDocument.Parse(await leader.GetStringAsync(new Uri("/api/platforms", UriKind.Relative), Ct));
        using var all = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/platforms", UriKind.Relative), Ct));

        var digi = Assert.Single(json.RootElement.EnumerateArray());
        var everything = all.RootElement.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "digi");
        Assert.Equal("digi", digi.GetProperty("id").GetString());
        Assert.Equal(["Team A"], digi.GetProperty("teams").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([AccessMatrixHost.WorkerA], digi.GetProperty("workers").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["Team A", "Team B"], everything.GetProperty("teams").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
        Assert.Contains(AccessMatrixHost.WorkerB, everything.GetProperty("workers").EnumerateArray().Select(t => t.GetString()));

        // Every queue: a team leader reads queue scopes on its platforms.
        Assert.Equal(everything.GetProperty("queues").EnumerateArray().Select(t => t.GetString()), digi.GetProperty("queues").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(AccessMatrixHost.Queue, digi.GetProperty("queues").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Platforms_Kiosk_ListsOnlyItsScope()
    {
        using var client = Client(Token("kiosk digi Team A"));

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/platforms", UriKind.Relative), Ct));

        var digi = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(["Team A"], digi.GetProperty("teams").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(digi.GetProperty("workers").EnumerateArray());
        Assert.Empty(digi.GetProperty("queues").EnumerateArray());
    }

    /// <summary>The credential a row's caller presents ("" for none).</summary>
    private string Token(string caller) => caller switch
    {
        "none" => "",
        "expired" => TestTokens.Issue([Roles.Admin], expires: DateTime.UtcNow.AddMinutes(-5)),
        "wrong issuer" => TestTokens.Issue([Roles.Admin], issuer: "https://login.elsewhere.test/"),
        "wrong audience" => TestTokens.Issue([Roles.Admin], audience: "another-app"),
        "forged signature" => TestTokens.Issue([Roles.Admin], key: "an-attacker-chose-this-32-byte-k"u8.ToArray()),
        "alg none" => TestTokens.Unsigned(),
        "revoked kiosk" => host.RevokedKiosk,
        "no role" => TestTokens.Issue(["agent"], platforms: ["digi"]),
        "lifeline.admin" => TestTokens.Admin,
        "wfo.full_access digi" => TestTokens.Issue([Roles.FullAccess], platforms: ["digi"]),
        "wfo.data_analyst digi" => TestTokens.Issue([Roles.DataAnalyst], platforms: ["digi"]),
        "wfo.team_leader digi Team A" => TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]),
        "kiosk digi Team A" => host.Kiosk,
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "a caller the table names and this test does not know"),
    };

    private HttpClient Client(string token)
    {
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = token.Length > 0 ? new AuthenticationHeaderValue("Bearer", token) : null;
        return client;
    }

    private async Task<List<int>> HttpAsync(string column, string token)
    {
        const string digi = "/api/platforms/digi";
        IEnumerable<(HttpMethod Method, string Path)> requests = column switch
        {
            "platforms" => [(HttpMethod.Get, "/api/platforms")],
            "digi" => Scope(digi),
            "queue" => Scope($"{digi}/queues/{AccessMatrixHost.Queue}"),
            "team A" => Scope($"{digi}/teams/Team%20A"),
            "team B" => Scope($"{digi}/teams/Team%20B"),
            "worker A" => WorkerScope($"{digi}/workers/{AccessMatrixHost.WorkerA}"),
            "worker B" => WorkerScope($"{digi}/workers/{AccessMatrixHost.WorkerB}"),
            "ciss" => Scope("/api/platforms/ciss"),
            "admin read" => [(HttpMethod.Get, "/api/admin/quarantine"), (HttpMethod.Get, "/api/admin/kiosk-tokens"), (HttpMethod.Get, "/api/admin/audit")],
            "admin write" => [(HttpMethod.Post, "/api/admin/quarantine/reapply")],
            "openapi" => [(HttpMethod.Get, "/openapi/v1.json")],
            "health" => [(HttpMethod.Get, "/healthz"), (HttpMethod.Get, "/status")],
            "conversations" => [(HttpMethod.Get, "/api/platforms/digi/conversations?from=2026-11-24&to=2026-11-24")],
            "stuck list" => [(HttpMethod.Get, $"{digi}/tasks/stuck"), (HttpMethod.Get, $"{digi}/tasks/fixes")],
            "task fix" => [(HttpMethod.Post, $"{digi}/tasks/{AccessMatrixHost.PendingTask}/cancel"), (HttpMethod.Post, $"{digi}/tasks/{AccessMatrixHost.WrappingTask}/complete")],
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, "a column the table names and this test does not know"),
        };

        using var client = Client(token);
        var statuses = new List<int>();
        foreach (var (method, path) in requests)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (column == "task fix")
            {
                request.Content = JsonContent.Create(new { reason = "access matrix" });
            }

            using var response = await client.SendAsync(request, Ct);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;

        static IEnumerable<(HttpMethod, string)> Scope(string path) => Reads.Select(r => (HttpMethod.Get, $"{path}/{r}"));
        static IEnumerable<(HttpMethod, string)> WorkerScope(string path) => Scope(path).Append((HttpMethod.Get, $"{path}/timeline?window=today"));
    }

    private async Task<int> HubAsync(string column, string token)
    {
        var (platform, scope, id) = column switch
        {
            "hub team A" => ("digi", "team", "Team A"),
            "hub team B" => ("digi", "team", "Team B"),
            "hub worker B" => ("digi", "worker", AccessMatrixHost.WorkerB),
            "hub ciss" => ("ciss", "platform", "ciss"),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, "a column the table names and this test does not know"),
        };

        WallboardConnection board;
        try
        {
            board = await WallboardConnection.ConnectAsync(host.Factory, Ct, token);
        }
        catch (HttpRequestException e) when (e.StatusCode is { } status)
        {
            return (int)status;
        }

        await using var _ = board;
        try
        {
            await board.SubscribeAsync(platform, scope, id, "today", Ct);
            return 200;
        }
        catch (HubException e) when (e.Message.Contains("Unknown platform", StringComparison.Ordinal))
        {
            return 404;
        }
        catch (HubException e) when (e.Message.Contains("Not allowed", StringComparison.Ordinal))
        {
            return 403;
        }
    }
}
