using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Host.Tests.Wallboard;
using LifelineRealtime.Storage.Access;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>Kiosk tokens: issued once, stored as a hash, one read-only scope, revoked at once (open hub connections too).</summary>
public sealed class KioskTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Uri Tokens = new("/api/admin/kiosk-tokens", UriKind.Relative);

    private static async Task<(string Token, string Id)> IssueAsync(HttpClient admin, object request)
    {
        using var response = await admin.PostAsJsonAsync(Tokens, request, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var id = body.RootElement.GetProperty("info").GetProperty("id").GetString()!;
        Assert.Equal($"/api/admin/kiosk-tokens/{id}", response.Headers.Location?.OriginalString);
        return (body.RootElement.GetProperty("token").GetString()!, id);
    }

    private static HttpClient As(LifelineHostFactory factory, string kiosk)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Kiosk", kiosk);
        return client;
    }

    [Fact]
    public async Task Issue_ShownOnceAndStoredOnlyAsItsHash()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();

        var (token, id) = await IssueAsync(admin, new { label = "Level 3 wall", platformId = "ciss", scope = "platform" });
        var listed = await admin.GetStringAsync(Tokens, Ct);

        var secret = token["llk_0123456789abcdef_".Length..];
        Assert.Matches("^llk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", token);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        using var list = JsonDocument.Parse(listed);
        var entry = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal((id, "Level 3 wall", "ciss", "platform", "ciss", true), (
            entry.GetProperty("id").GetString(), entry.GetProperty("label").GetString(), entry.GetProperty("platformId").GetString(),
            entry.GetProperty("scope").GetString(), entry.GetProperty("scopeId").GetString(), entry.GetProperty("usable").GetBoolean()));
        Assert.False(entry.TryGetProperty("secretHash", out _));

        // The database holds the SHA-256 of the secret and never the secret.
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret_hash FROM kiosk_tokens WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(secret)), (byte[])(await command.ExecuteScalarAsync(Ct))!);
        var file = await File.ReadAllBytesAsync(factory.DatabasePath, Ct);
        Assert.True(file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(secret)) < 0, "the secret is in the database file");
    }

    [Fact]
    public async Task Token_ReadsItsScopeOnly_AndNothingAfterRevocation()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();
        var (token, id) = await IssueAsync(admin, new { label = "CISS wall", platformId = "ciss", scope = "platform" });
        using var kiosk = As(factory, token);

        using var own = await kiosk.GetAsync(new Uri("/api/platforms/ciss/metrics?window=today", UriKind.Relative), Ct);
        using var other = await kiosk.GetAsync(new Uri("/api/platforms/digi/metrics?window=today", UriKind.Relative), Ct);
        using var admin403 = await kiosk.GetAsync(Tokens, Ct);
        using var tampered = await As(factory, token[..^1] + (token[^1] == 'A' ? 'B' : 'A')).GetAsync(new Uri("/api/platforms/ciss/metrics", UriKind.Relative), Ct);
        using var revoke = await admin.DeleteAsync(new Uri($"/api/admin/kiosk-tokens/{id}", UriKind.Relative), Ct);
        using var afterRevoke = await kiosk.GetAsync(new Uri("/api/platforms/ciss/metrics?window=today", UriKind.Relative), Ct);
        using var revokeAgain = await admin.DeleteAsync(new Uri($"/api/admin/kiosk-tokens/{id}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, admin403.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revokeAgain.StatusCode);
    }

    [Fact]
    public async Task Token_InTheQueryString_IsNotAccepted()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();
        var (token, _) = await IssueAsync(admin, new { label = "CISS wall", platformId = "ciss", scope = "platform" });
        using var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        using var response = await anonymous.GetAsync(new Uri($"/api/platforms/ciss/metrics?access_token={token}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_OpenHubConnection_IsClosed()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();
        var (token, id) = await IssueAsync(admin, new { label = "CISS wall", platformId = "ciss", scope = "platform" });
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct, token);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        board.Hub.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await board.SubscribeAsync("ciss", "platform", "ciss", "today", Ct);
        var (snapshot, _) = await board.NextOfKindAsync("Snapshot", Ct);

        using var revoke = await admin.DeleteAsync(new Uri($"/api/admin/kiosk-tokens/{id}", UriKind.Relative), Ct);

        Assert.Equal(("ciss", "platform"), (snapshot.Metrics.Platform, snapshot.Metrics.Scope));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Disconnected, board.Hub.State);
        await Assert.ThrowsAsync<HttpRequestException>(() => WallboardConnection.ConnectAsync(factory, Ct, token));
    }

    [Fact]
    public async Task Exchange_GivesAScopedSession_ThatEndsWithTheToken()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();
        var (token, id) = await IssueAsync(admin, new { label = "Team A wall", platformId = "digi", scope = "team", id = "Team A" });
        // Outside Development the session cookie is Secure: the browser speaks https.
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        browser.DefaultRequestHeaders.Authorization = null;

        using var wrong = await browser.PostAsJsonAsync(new Uri("/kiosk/session", UriKind.Relative), new { token = "llk_0000000000000000_" + new string('A', 43) }, Ct);
        using var exchange = await browser.PostAsJsonAsync(new Uri("/kiosk/session", UriKind.Relative), new { token }, Ct);
        using var platforms = await browser.GetAsync(new Uri("/api/platforms", UriKind.Relative), Ct);
        using var digiTotals = await browser.GetAsync(new Uri("/api/platforms/digi/metrics", UriKind.Relative), Ct);
        using var revoke = await admin.DeleteAsync(new Uri($"/api/admin/kiosk-tokens/{id}", UriKind.Relative), Ct);
        using var afterRevoke = await browser.GetAsync(new Uri("/api/platforms", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, exchange.StatusCode);
        var cookie = Assert.Single(exchange.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, platforms.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, digiTotals.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);

        var audit = await factory.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.KioskSignIn), Ct);
        Assert.Equal([("anonymous", "denied"), ($"kiosk:{id}", "ok")], audit.Select(a => (a.Actor, a.Outcome)));
    }

    [Fact]
    public async Task Expiry_PassedOnTheHostsClock_TokenStopsWorking()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new LifelineHostFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        using var admin = factory.CreateClient();
        var (token, _) = await IssueAsync(admin, new { label = "Temporary wall", platformId = "ciss", scope = "platform", expiresAt = clock.GetUtcNow().AddHours(1) });
        using var kiosk = As(factory, token);

        using var before = await kiosk.GetAsync(new Uri("/api/platforms", UriKind.Relative), Ct);
        clock.Advance(TimeSpan.FromHours(1));
        using var after = await kiosk.GetAsync(new Uri("/api/platforms", UriKind.Relative), Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (before.StatusCode, after.StatusCode));
    }

    [Fact]
    public async Task Issue_BadRequest_NamesEachField()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();

        using var response = await admin.PostAsJsonAsync(Tokens, new { label = "", platformId = "mars", scope = "worker", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) }, Ct);
        using var queue = await admin.PostAsJsonAsync(Tokens, new { label = "Queue wall", platformId = "digi", scope = "queue", id = "Team A" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["expiresAt", "label", "platformId", "scope"], problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, queue.StatusCode);
        Assert.Contains("TaskQueueSid", await queue.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("[]", await admin.GetStringAsync(Tokens, Ct));
    }
}
