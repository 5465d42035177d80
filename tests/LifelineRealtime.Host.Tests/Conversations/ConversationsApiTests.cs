using System.Net;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Api;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Access;

namespace LifelineRealtime.Host.Tests.Conversations;

/// <summary>
/// <c>GET /api/platforms/{p}/conversations</c> over the DIGI fixture story (task d1000001 handled by Alex of Team A
/// after a RONA and a reject; chat d1000002 abandoned after 97 s), per role.
/// </summary>
[Collection(FixtureStoryHost.Collection)]
public sealed class ConversationsApiTests(FixtureStoryHost host)
{
    private const string Handled = "WT000000000000000000000000d1000001";
    private const string Abandoned = "WT000000000000000000000000d1000002";
    private const string Day = "from=2026-11-24&to=2026-11-24";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string url, string? token = null)
    {
        using var client = token is null ? null : host.CreateClient(token);
        using var response = await (client ?? host.Client).GetAsync(new Uri(url, UriKind.Relative), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task List_Admin_IsNewestFirst_WithTheCsTheIssEveryOfferAndTheMeasuresDurations()
    {
        var (status, body) = await GetAsync($"/api/platforms/digi/conversations?{Day}");

        Assert.Equal(HttpStatusCode.OK, status);
        var page = JsonNode.Parse(body)!;
        var rows = page["conversations"]!.AsArray();
        Assert.Equal([Abandoned, Handled], rows.Select(r => r!["taskSid"]!.GetValue<string>()));
        Assert.Null(page["next"]);
        var handled = rows[1]!;
        Assert.Equal(
            ("Jamie Citizen", false, "Alex Example", "Team A", "imminent", "web", "CH000000000000000000000000d1000001", "handled"),
            (handled["customerName"]!.GetValue<string>(), handled["customerPseudonymous"]!.GetValue<bool>(), handled["workerName"]!.GetValue<string>(), handled["team"]!.GetValue<string>(),
                handled["supportType"]!.GetValue<string>(), handled["channel"]!.GetValue<string>(), handled["conversationSid"]!.GetValue<string>(), handled["outcome"]!.GetValue<string>()));
        Assert.Equal((49.25, 1_200.0, 135.5, 1_335.5), (handled["waitSeconds"]!.GetValue<double>(), handled["talkSeconds"]!.GetValue<double>(), handled["wrapSeconds"]!.GetValue<double>(), handled["handleSeconds"]!.GetValue<double>()));
        Assert.Equal(["timed_out", "rejected", "completed"], handled["reservations"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal($"/api/platforms/digi/conversations/{Handled}/transcript", handled["transcriptUrl"]!.GetValue<string>());
        Assert.Equal(("abandoned", 97.0), (rows[0]!["outcome"]!.GetValue<string>(), rows[0]!["waitSeconds"]!.GetValue<double>()));
    }

    [Fact]
    public async Task List_OnePerPage_TheCursorWalksEveryRowOnce()
    {
        var (_, first) = await GetAsync($"/api/platforms/digi/conversations?{Day}&limit=1");
        var next = JsonNode.Parse(first)!["next"]!.GetValue<string>();
        var (_, second) = await GetAsync($"/api/platforms/digi/conversations?{Day}&limit=1&cursor={next}");

        Assert.Equal(Abandoned, JsonNode.Parse(first)!["conversations"]![0]!["taskSid"]!.GetValue<string>());
        Assert.Equal(Handled, JsonNode.Parse(second)!["conversations"]![0]!["taskSid"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(second)!["next"]);
    }

    [Theory]
    [InlineData("outcome=handled", Handled)]
    [InlineData("outcome=abandoned", Abandoned)]
    [InlineData("supportType=support", Abandoned)]
    [InlineData("team=Team%20A", Handled)]
    [InlineData("worker=WK0000000000000000000000000000a1e7", Handled)]
    [InlineData("q=CH000000000000000000000000d1000002", Abandoned)]
    [InlineData("q=" + Handled, Handled)]
    public async Task List_EachFilter_KeepsOnlyItsRows(string filter, string task)
    {
        var (status, body) = await GetAsync($"/api/platforms/digi/conversations?{Day}&{filter}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([task], JsonNode.Parse(body)!["conversations"]!.AsArray().Select(r => r!["taskSid"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("from=2026-11-25&to=2026-11-24", "to", "to 2026-11-24 is before from 2026-11-25")]
    [InlineData("from=2025-01-01&to=2026-11-24", "to", "from 2025-01-01 to 2026-11-24 spans 693 days; at most 400")]
    [InlineData("from=24/11/2026", "from", "from '24/11/2026' is not a date of the form YYYY-MM-DD from 2000-01-01 to 2199-12-31")]
    [InlineData("outcome=lost", "outcome", "outcome 'lost' is not one of open, handled, abandoned, short_abandoned, transferred")]
    [InlineData("supportType=chat", "supportType", "supportType 'chat' is not one of check_in, check_out, debrief, imminent, safety, support, unclassified")]
    [InlineData("limit=0", "limit", "limit 0 is not between 1 and 500")]
    [InlineData("cursor=not-ours", "cursor", "cursor is not one this list gave")]
    [InlineData("format=xml", "format", "format 'xml' is not one of json, csv")]
    public async Task List_BadParameter_Is400NamingIt(string query, string parameter, string message)
    {
        var (status, body) = await GetAsync($"/api/platforms/digi/conversations?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, JsonNode.Parse(body)!["errors"]![parameter]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task List_DataAnalyst_GetsAStablePseudonym_NeverANameOrATranscript_InJsonOrCsv()
    {
        var analyst = TestTokens.Issue([Roles.DataAnalyst], platforms: ["digi"]);
        var (status, json) = await GetAsync($"/api/platforms/digi/conversations?{Day}", analyst);
        var (_, again) = await GetAsync($"/api/platforms/digi/conversations?{Day}", analyst);
        var (csvStatus, csv) = await GetAsync($"/api/platforms/digi/conversations?{Day}&format=csv", analyst);
        var (oneStatus, one) = await GetAsync($"/api/platforms/digi/conversations/{Handled}", analyst);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (status, csvStatus, oneStatus));
        foreach (var text in (string[])[json, csv, one])
        {
            Assert.DoesNotContain("Citizen", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/transcript", text, StringComparison.Ordinal);
        }

        var rows = JsonNode.Parse(json)!["conversations"]!.AsArray();
        var names = rows.Select(r => r!["customerName"]!.GetValue<string>()).ToList();
        Assert.All(names, n => Assert.Matches("^CS-[0-9a-f]{12}$", n));
        Assert.NotEqual(names[0], names[1]);
        Assert.Equal(names, JsonNode.Parse(again)!["conversations"]!.AsArray().Select(r => r!["customerName"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.True(r!["customerPseudonymous"]!.GetValue<bool>()));
        Assert.Contains(names[1], csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_TeamLeader_SeesOnlyTheirTeams_AndAnotherTeamIsRefused()
    {
        var leaderA = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]);
        var leaderB = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team B"]);

        var (_, own) = await GetAsync($"/api/platforms/digi/conversations?{Day}", leaderA);
        var (other, _) = await GetAsync($"/api/platforms/digi/conversations?{Day}&team=Team%20A", leaderB);
        var (bList, bBody) = await GetAsync($"/api/platforms/digi/conversations?{Day}", leaderB);
        var (bOne, _) = await GetAsync($"/api/platforms/digi/conversations/{Handled}", leaderB);
        var (aOne, aBody) = await GetAsync($"/api/platforms/digi/conversations/{Handled}", leaderA);

        Assert.Equal([Handled], JsonNode.Parse(own)!["conversations"]!.AsArray().Select(r => r!["taskSid"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, other);
        Assert.Equal((HttpStatusCode.OK, 0), (bList, JsonNode.Parse(bBody)!["count"]!.GetValue<int>()));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (bOne, aOne));
        Assert.Equal("Jamie Citizen", JsonNode.Parse(aBody)!["conversation"]!["customerName"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_OtherCallers_AreRefusedAsTheAccessPolicySays()
    {
        var (anonymous, _) = await GetAsync($"/api/platforms/digi/conversations", "");
        var (noRole, _) = await GetAsync($"/api/platforms/digi/conversations", TestTokens.Issue([], platforms: ["digi"]));
        var (otherPlatform, _) = await GetAsync($"/api/platforms/ciss/conversations", TestTokens.Issue([Roles.FullAccess], platforms: ["digi"]));
        var (unknown, _) = await GetAsync($"/api/platforms/digi/conversations/WT00000000000000000000000000000000");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (anonymous, noRole, otherPlatform, unknown));
    }

    [Fact]
    public async Task One_HasTheRecordAndEveryEventOfItsTaskInOrder_AttributesOnlyWithNames()
    {
        var (status, body) = await GetAsync($"/api/platforms/digi/conversations/{Handled}");
        var (_, analyst) = await GetAsync($"/api/platforms/digi/conversations/{Handled}", TestTokens.Issue([Roles.DataAnalyst], platforms: ["digi"]));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal(Handled, answer["conversation"]!["taskSid"]!.GetValue<string>());
        var events = answer["events"]!.AsArray();
        Assert.Equal(["task.created", "reservation.created", "reservation.timeout", "reservation.created", "reservation.rejected", "reservation.created", "reservation.accepted", "task.wrapup", "reservation.wrapup", "task.completed", "reservation.completed"],
            events.Select(e => e!["eventType"]!.GetValue<string>()));
        Assert.Contains("Jamie Citizen", events[0]!["taskAttributes"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(JsonNode.Parse(analyst)!["events"]!.AsArray(), e => Assert.Null(e!["taskAttributes"]));
    }

    [Fact]
    public async Task List_ByAPerson_IsAudited_WithWhoAndWhat()
    {
        var leader = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"], subject: "stl-audit-check");
        await GetAsync($"/api/platforms/digi/conversations?{Day}&outcome=handled", leader);
        await GetAsync($"/api/platforms/digi/conversations/{Handled}", leader);

        var listed = (await host.AuditAsync(AuditActions.ConversationsListed)).Where(e => e.Actor == "stl-audit-check").ToList();
        var viewed = (await host.AuditAsync(AuditActions.ConversationViewed)).Where(e => e.Actor == "stl-audit-check").ToList();
        Assert.Equal(("digi", "ok"), (Assert.Single(listed).Target, listed[0].Outcome));
        Assert.Contains("outcome=handled", listed[0].Detail, StringComparison.Ordinal);
        Assert.Equal(($"digi/{Handled}", "ok"), (Assert.Single(viewed).Target, viewed[0].Outcome));
    }

    [Fact]
    public async Task Csv_HasTheJsonsRowsAndColumns()
    {
        var (_, csv) = await GetAsync($"/api/platforms/digi/conversations?{Day}&format=csv");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("platform,taskSid,taskQueueSid,", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"digi,{Abandoned},", lines[1], StringComparison.Ordinal);
        Assert.Contains(",Jamie Citizen,false,CH000000000000000000000000d1000001,", lines[2], StringComparison.Ordinal);
        Assert.Contains(",49.25,1200,135.5,1335.5,handled,", lines[2], StringComparison.Ordinal);
    }
}
