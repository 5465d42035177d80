using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Access;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>The audit log: durable across restarts, append-only in the file itself, queryable by admins only.</summary>
public sealed class AuditLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> AuditAsync(HttpClient admin, string query)
    {
        using var response = await admin.GetAsync(new Uri("/api/admin/audit" + query, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static IEnumerable<string> Actions(JsonElement page) =>
        page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!);

    [Fact]
    public async Task Actions_AreRecordedWithWhoAndWhat_AndSurviveARestart()
    {
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var leader = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"], subject: "tl-morgan");
        try
        {
            await using (var factory = new LifelineHostFactory(databasePath: databasePath))
            {
                using var admin = factory.CreateClient();
                using var issued = await admin.PostAsJsonAsync(new Uri("/api/admin/kiosk-tokens", UriKind.Relative), new { label = "Wall", platformId = "ciss", scope = "platform" }, Ct);
                var id = JsonDocument.Parse(await issued.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("info").GetProperty("id").GetString();
                using (await admin.DeleteAsync(new Uri($"/api/admin/kiosk-tokens/{id}", UriKind.Relative), Ct))
                using (await admin.PostAsync(new Uri("/api/admin/quarantine/reapply", UriKind.Relative), null, Ct))
                {
                }

                using var teamLeader = factory.CreateClient();
                TestTokens.Authorize(teamLeader, leader);
                using var denied = await teamLeader.GetAsync(new Uri("/api/platforms/digi/workers/WK0000000000000000000000000000ca5e/metrics", UriKind.Relative), Ct);
                using var teamDenied = await teamLeader.GetAsync(new Uri("/api/platforms/digi/teams/Team%20B/metrics", UriKind.Relative), Ct);
                Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (denied.StatusCode, teamDenied.StatusCode));
            }

            await using var restarted = new LifelineHostFactory(databasePath: databasePath);
            using var again = restarted.CreateClient();
            var all = await AuditAsync(again, "");

            // A refused team read is not personal data; a refused worker read is.
            Assert.Equal([AuditActions.KioskIssued, AuditActions.KioskRevoked, AuditActions.AdminAction, AuditActions.AccessDenied], Actions(all));
            var entries = all.GetProperty("entries").EnumerateArray().ToList();
            Assert.All(entries.Take(3), e => Assert.Equal("test-user", e.GetProperty("actor").GetString()));
            Assert.Equal(("tl-morgan", "digi/worker/WK0000000000000000000000000000ca5e", "denied"), (
                entries[3].GetProperty("actor").GetString(), entries[3].GetProperty("target").GetString(), entries[3].GetProperty("outcome").GetString()));
            Assert.Equal("reapply: 0 applied, 0 remaining", entries[2].GetProperty("detail").GetString());
            Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);

            Assert.Equal([AuditActions.AccessDenied], Actions(await AuditAsync(again, "?actor=tl-morgan")));
            Assert.Equal([AuditActions.KioskRevoked], Actions(await AuditAsync(again, "?action=kiosk.revoked")));
            Assert.Empty(Actions(await AuditAsync(again, "?to=2020-01-01T00:00:00Z")));
            Assert.Equal(4, Actions(await AuditAsync(again, "?from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture)))).Count());

            var first = await AuditAsync(again, "?limit=3");
            Assert.Equal(3, Actions(first).Count());
            var next = first.GetProperty("next").GetInt64();
            Assert.Equal([AuditActions.AccessDenied], Actions(await AuditAsync(again, $"?limit=3&after={next}")));
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    [Fact]
    public async Task File_RefusesUpdatesAndDeletes()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();
        using (await admin.PostAsync(new Uri("/api/admin/quarantine/reapply", UriKind.Relative), null, Ct))
        {
        }

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        foreach (var sql in (string[])["UPDATE audit SET actor = 'someone-else'", "DELETE FROM audit"])
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync(Ct));
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal([AuditActions.AdminAction], Actions(await AuditAsync(admin, "")));
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-12-07T00:00:00", "to")]
    [InlineData("?from=2026-12-07T00:00:00Z&to=2026-12-06T00:00:00Z", "to")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=5001", "limit")]
    [InlineData("?after=-1", "after")]
    public async Task Query_BadParameter_400NamingIt(string query, string parameter)
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();

        using var response = await admin.GetAsync(new Uri("/api/admin/audit" + query, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), await response.Content.ReadAsStringAsync(Ct));
    }
}
