using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Backfill;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tests.Backfill;

/// <summary>Fills against a real HTTP server holding recorded TaskRouter answers (<see cref="TaskRouterDouble"/>).</summary>
public sealed class BackfillTests
{
    private const string EventsPath = "/v1/Workspaces/" + TestPlatforms.DigiWorkspace + "/Events";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fill_OverSeveralPages_FollowsPageTokensAndJournalsEveryEventOnce()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var traffic = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1));
        var resources = traffic.Resources.Take(9).ToList();
        twilio.Events(TestPlatforms.DigiWorkspace, resources);
        await using var factory = Host(twilio, s => s["Lifeline:TaskRouterRest:EventsPageSize"] = "2");
        using var client = factory.CreateClient();

        var first = await FillAsync(client, Period(resources));
        var again = await FillAsync(client, Period(resources));

        Assert.Equal(("ok", 5, 9, 9, 0, 0, 0), (first.Outcome, first.Pages, first.Seen, first.New, first.Duplicate, first.Refused, first.Unparsable));
        Assert.Equal(("ok", 9, 0, 9), (again.Outcome, again.Seen, again.New, again.Duplicate));
        var reads = twilio.Requests.Where(r => r.Path == EventsPath).ToList();
        Assert.Equal(10, reads.Count);
        Assert.All(reads, r => Assert.False(r.Query.ContainsKey("Page") && !r.Query.ContainsKey("PageToken"), "paged by Page without PageToken"));
        Assert.Equal([false, true, true, true, true], reads.Take(5).Select(r => r.Query.ContainsKey("PageToken")));
        var records = await factory.ReadJournalAsync();
        Assert.Equal(9, records.Count);
        Assert.All(records, r => Assert.Equal(JournalWireFormat.EventsResource, r.Format));
        Assert.Equal(resources.Select(Sid).Order(StringComparer.Ordinal), records.Select(r => r.EventSid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fill_RateLimited_WaitsTheRetryAfterBeforeReadingAgain()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var resources = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1)).Resources.Take(3).ToList();
        twilio.Events(TestPlatforms.DigiWorkspace, resources);
        twilio.Fail(EventsPath, 429, times: 1, retryAfter: "1");
        await using var factory = Host(twilio);
        using var client = factory.CreateClient();

        var fill = await FillAsync(client, Period(resources));

        Assert.Equal(("ok", 3), (fill.Outcome, fill.New));
        var reads = twilio.Requests.Where(r => r.Path == EventsPath).ToList();
        Assert.Equal(2, reads.Count);
        // The one timed assertion: the second request came no sooner than Twilio asked (the server's clock, to its resolution).
        Assert.True(reads[1].ArrivedAt - reads[0].ArrivedAt >= TimeSpan.FromMilliseconds(990), $"read again after {(reads[1].ArrivedAt - reads[0].ArrivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Fill_ServerError_IsReadAgain()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var resources = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1)).Resources.Take(3).ToList();
        twilio.Events(TestPlatforms.DigiWorkspace, resources);
        twilio.Fail(EventsPath, 500, times: 1);
        await using var factory = Host(twilio);
        using var client = factory.CreateClient();

        var fill = await FillAsync(client, Period(resources));

        Assert.Equal(("ok", 1, 3), (fill.Outcome, fill.Pages, fill.New));
        Assert.Equal(2, twilio.Requests.Count(r => r.Path == EventsPath));
    }

    [Fact]
    public async Task Fill_CredentialsRefused_IsRecordedFailedWithTheReasonAndJournalsNothing()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var resources = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1)).Resources.Take(3).ToList();
        twilio.Events(TestPlatforms.DigiWorkspace, resources);
        twilio.Revoke(TestPlatforms.DigiAccount);
        await using var factory = Host(twilio);
        using var client = factory.CreateClient();

        var fill = await FillAsync(client, Period(resources));

        Assert.Equal(("failed", 0, 0), (fill.Outcome, fill.Pages, fill.New));
        Assert.Contains("unauthorized (401)", fill.Reason, StringComparison.Ordinal);
        Assert.Equal(0, factory.Journal.HighWaterSequence);
        var status = JsonNode.Parse(await client.GetStringAsync(new Uri("/status", UriKind.Relative), Ct))!["backfill"]!;
        var digi = status["platforms"]!.AsArray().Single(p => (string?)p!["platform"] == "digi")!;
        Assert.Equal(fill.Id, (long)digi["lastFailure"]!["id"]!);
        Assert.Equal("failed", (string?)digi["lastFill"]!["outcome"]);
        var listed = await client.GetFromJsonAsync<BackfillListing>(new Uri("/api/admin/backfill?platform=digi", UriKind.Relative), Ct);
        Assert.Equal(fill, Assert.Single(listed!.Records));
    }

    [Fact]
    public async Task Fill_UnparsableAndForeignResources_AreCountedAndTheRestJournaled()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var resources = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1)).Resources.Take(4).ToList();
        var foreign = JsonNode.Parse(resources[1])!.AsObject();
        foreign["workspace_sid"] = TestPlatforms.CissWorkspace;
        foreign["sid"] = "EV" + new string('f', 32);
        var broken = JsonNode.Parse(resources[2])!.AsObject();
        broken["sid"] = "EV" + new string('b', 32);
        broken.Remove("event_type");
        twilio.Events(TestPlatforms.DigiWorkspace, [resources[0], resources[3], foreign.ToJsonString(), broken.ToJsonString()]);
        await using var factory = Host(twilio);
        using var client = factory.CreateClient();

        var fill = await FillAsync(client, Period(resources));

        Assert.Equal(("ok", 4, 2, 0, 1, 1), (fill.Outcome, fill.Seen, fill.New, fill.Duplicate, fill.Refused, fill.Unparsable));
        Assert.Equal(2, factory.Journal.HighWaterSequence);
    }

    [Fact]
    public async Task Status_AfterAFill_ShowsItAsThePlatformsLastFill()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var resources = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1)).Resources.Take(2).ToList();
        twilio.Events(TestPlatforms.DigiWorkspace, resources);
        await using var factory = Host(twilio);
        using var client = factory.CreateClient();

        var fill = await FillAsync(client, Period(resources));
        var status = await client.GetFromJsonAsync<EngineStatus>(new Uri("/status", UriKind.Relative), Ct);

        Assert.False(status!.Backfill!.Enabled);
        var digi = Assert.Single(status.Backfill.Platforms);
        Assert.Equal(("digi", fill, null), (digi.Platform, digi.LastFill, digi.LastFailure));
    }

    [Fact]
    public async Task AdminEndpoints_RefuseAnyoneButAnAdmin()
    {
        await using var factory = new LifelineHostFactory();
        using var leader = factory.CreateClient();
        TestTokens.Authorize(leader, TestTokens.Issue([Roles.FullAccess, Roles.TeamLeader], ["digi", "ciss"], ["Team A"]));
        using var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var body = new { platform = "digi", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow };

        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync(new Uri("/api/admin/backfill", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync(new Uri("/api/admin/backfill", UriKind.Relative), body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/admin/backfill", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(new Uri("/api/admin/backfill", UriKind.Relative), body, Ct)).StatusCode);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{"platform":"nope","from":"2026-12-07T00:00:00Z","to":"2026-12-07T01:00:00Z"}""", "platform", "No platform 'nope'" },
        { """{"platform":"digi","to":"2026-12-07T01:00:00Z"}""", "from", "from is required" },
        { """{"platform":"digi","from":"{{now-1h}}","to":"{{now-2h}}"}""", "to", "to must be after from" },
        { """{"platform":"digi","from":"{{now-31d}}","to":"{{now-2h}}"}""", "from", "within the last 30 days" },
        { """{"platform":"digi","from":"{{now-1h}}","to":"{{now+1h}}"}""", "to", "not be in the future" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Post_BadRequest_IsRefusedNamingTheField(string json, string field, string message)
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var now = DateTimeOffset.UtcNow;
        json = json.Replace("{{now-1h}}", Iso(now.AddHours(-1)), StringComparison.Ordinal).Replace("{{now-2h}}", Iso(now.AddHours(-2)), StringComparison.Ordinal)
            .Replace("{{now-31d}}", Iso(now.AddDays(-31)), StringComparison.Ordinal).Replace("{{now+1h}}", Iso(now.AddHours(1)), StringComparison.Ordinal);

        using var response = await client.PostAsync(new Uri("/api/admin/backfill", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Contains(message, (string?)problem["errors"]![field]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_BadBackfillOptions_FailsNamingEveryKey()
    {
        await using var factory = new LifelineHostFactory(s =>
        {
            s["Lifeline:Backfill:MaxLookBack"] = "31.00:00:00";
            s["Lifeline:Backfill:Interval"] = "00:00:00";
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(error.Failures, f => f.StartsWith("Lifeline:Backfill:MaxLookBack must be", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Lifeline:Backfill:Interval must be", StringComparison.Ordinal));
    }

    /// <summary>A host whose TaskRouter REST calls go to <paramref name="twilio"/>; fills run only when asked.</summary>
    internal static LifelineHostFactory Host(TaskRouterDouble twilio, Action<Dictionary<string, string?>>? configure = null, string? databasePath = null) =>
        new(s =>
        {
            twilio.Configure(s);
            configure?.Invoke(s);
        }, databasePath: databasePath);

    internal static async Task<FillView> FillAsync(HttpClient client, (DateTimeOffset From, DateTimeOffset To) period)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/admin/backfill", UriKind.Relative), new { platform = "digi", from = period.From, to = period.To }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return Assert.Single(JsonSerializer.Deserialize<BackfillRun>(body, JsonSerializerOptions.Web)!.Records);
    }

    /// <summary>A period holding every resource (event times are in the past, within the day).</summary>
    private static (DateTimeOffset, DateTimeOffset) Period(IEnumerable<string> resources)
    {
        var times = resources.Select(r => (long)JsonNode.Parse(r)!["event_date_ms"]!).ToList();
        return (DateTimeOffset.FromUnixTimeMilliseconds(times.Min()).AddMinutes(-1), DateTimeOffset.FromUnixTimeMilliseconds(times.Max()).AddMinutes(1));
    }

    private static string Sid(string resource) => (string)JsonNode.Parse(resource)!["sid"]!;

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
