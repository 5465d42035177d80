using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Backfill;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Backfill;

/// <summary>
/// A simulated day on DIGI in which some events never reached the webhook, while TaskRouter's Events resource (the
/// double) holds them all: after backfill every metric equals the run without the outage.
/// </summary>
public sealed class BackfillOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Day => "day:" + SimulatedDay.Yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task HourLostByTheWebhook_FilledOnDemand_EveryMetricEqualsTheRunWithoutOutage()
    {
        var day = BackfillTraffic.Yesterday(new TimeOnly(8, 0), TimeSpan.FromHours(10));
        var (lostFrom, lostTo) = (BackfillTraffic.YesterdayAt(new TimeOnly(12, 0)).ToUnixTimeMilliseconds(), BackfillTraffic.YesterdayAt(new TimeOnly(13, 0)).ToUnixTimeMilliseconds());
        var delivered = day.Entries.Where(e => e.Event.TimestampMs < lostFrom || e.Event.TimestampMs >= lostTo).ToList();
        var lost = day.Entries.Count - delivered.Count;
        Assert.True(lost > 100, $"the hour should be busy ({lost} events)");

        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Events(TestPlatforms.DigiWorkspace, day.Resources);
        await using var reference = new LifelineHostFactory();
        await using var outage = BackfillTests.Host(twilio);
        await JournalAsync(reference, day.Entries);
        await JournalAsync(outage, delivered);
        using var referenceApi = reference.CreateClient();
        using var outageApi = outage.CreateClient();

        // The whole day is read again: what the webhook delivered comes back as duplicates.
        var fill = await BackfillTests.FillAsync(outageApi, Span(day.Entries));
        await WaitForDispatchAsync(outage);

        Assert.Equal(("ok", day.Entries.Count, lost, delivered.Count, 0, 0), (fill.Outcome, fill.Seen, fill.New, fill.Duplicate, fill.Refused, fill.Unparsable));
        Report(fill);
        var settings = TestPlatforms.Settings(outage.DatabasePath);
        var scopes = await FoldComparison.AssertDigiMetricsEqualFoldAsync(outageApi, settings, day.Entries.Select(e => e.Event), Day, Ct);
        Assert.True(scopes > 20, $"only {scopes} scopes compared");
        var compared = await AssertHostsServeTheSameAsync(referenceApi, outageApi, day.Entries);
        Assert.Equal(scopes, compared);
        Assert.Equal(await ConversationCountAsync(referenceApi), await ConversationCountAsync(outageApi));
    }

    [Fact]
    public async Task EngineDownForTheLastHours_OnStart_FillsFromTheLastJournaledEventLessTheOverlap()
    {
        var day = BackfillTraffic.Yesterday(new TimeOnly(8, 0), TimeSpan.FromHours(10));
        var down = BackfillTraffic.YesterdayAt(new TimeOnly(16, 0)).ToUnixTimeMilliseconds();
        var delivered = day.Entries.Where(e => e.Event.TimestampMs < down).ToList();
        var lastMs = delivered.Max(e => e.Event.TimestampMs);
        var overlapped = delivered.Count(e => e.Event.TimestampMs >= lastMs - (long)TimeSpan.FromMinutes(5).TotalMilliseconds);
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Events(TestPlatforms.DigiWorkspace, day.Resources);
        var path = LifelineHostFactory.NewDatabasePath();
        try
        {
            await using (var before = BackfillTests.Host(twilio, databasePath: path))
            {
                await JournalAsync(before, delivered);
            }

            await using var after = BackfillTests.Host(twilio, s => s["Lifeline:Backfill:Enabled"] = "true", databasePath: path);
            using var api = after.CreateClient();
            var fill = await LastFillAsync(api);
            await WaitForDispatchAsync(after);

            Assert.Equal(("start", "ok"), (fill.Triggers, fill.Outcome));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(lastMs).AddMinutes(-5), fill.From);
            Assert.Equal((day.Entries.Count - delivered.Count, overlapped), (fill.New, fill.Duplicate));
            Report(fill);
            var settings = TestPlatforms.Settings(after.DatabasePath);
            Assert.True(await FoldComparison.AssertDigiMetricsEqualFoldAsync(api, settings, day.Entries.Select(e => e.Event), Day, Ct) > 20);
            var fold = Fold(day.Entries);
            Assert.Equal(fold.Tasks.Count, await ConversationCountAsync(api));
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(path);
        }
    }

    [Fact]
    public async Task FailedFill_IsTriedAgainAtTheNextRun_AndNothingIsLost()
    {
        var traffic = BackfillTraffic.Yesterday(new TimeOnly(9, 0), TimeSpan.FromHours(1));
        var delivered = traffic.Entries.OrderBy(e => e.Event.TimestampMs).Take(traffic.Entries.Count / 2).ToList();
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Events(TestPlatforms.DigiWorkspace, traffic.Resources);
        twilio.Revoke(TestPlatforms.DigiAccount);
        var path = LifelineHostFactory.NewDatabasePath();
        try
        {
            await using (var before = BackfillTests.Host(twilio, databasePath: path))
            {
                await JournalAsync(before, delivered);
            }

            await using var after = BackfillTests.Host(twilio, s => (s["Lifeline:Backfill:Enabled"], s["Lifeline:Backfill:Interval"]) = ("true", "00:00:01"), databasePath: path);
            using var api = after.CreateClient();
            await LastFillAsync(api, f => f.Outcome == "failed");
            twilio.Account(TestPlatforms.DigiAccount, TestPlatforms.DigiToken, TestPlatforms.DigiWorkspace);
            var retried = await LastFillAsync(api, f => f.Outcome == "ok");

            // The start-up fill failed; runs may have failed again before the credentials came back (the
            // schedule is 1 s): the fill that finally worked covers them all and settles each one.
            var records = (await api.GetFromJsonAsync<BackfillListing>(new Uri("/api/admin/backfill?platform=digi", UriKind.Relative), Ct))!.Records;
            var start = records.Single(r => r.Triggers == "start");
            Assert.Equal(("failed", retried.Id), (start.Outcome, start.RetriedBy));
            Assert.Contains("retry", retried.Triggers, StringComparison.Ordinal);
            Assert.True(retried.From <= start.From && retried.To >= start.To, $"{retried.From}..{retried.To} does not cover {start.From}..{start.To}");
            Assert.All(records.Where(r => r.Outcome == "failed"), r => Assert.Equal(retried.Id, r.RetriedBy));
            Assert.Equal(traffic.Entries.Count - delivered.Count, retried.New);
            Assert.Equal(traffic.Entries.Count, (await after.ReadJournalAsync()).Count);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(path);
        }
    }

    private static async Task JournalAsync(LifelineHostFactory factory, IReadOnlyList<JournalEntry> entries)
    {
        await factory.Journal.AppendAsync(entries);
        await WaitForDispatchAsync(factory);
    }

    private static Task WaitForDispatchAsync(LifelineHostFactory factory) =>
        factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, Ct);

    /// <summary>DIGI's last finished fill once it is one <paramref name="matching"/> (fills run beside the host, on its schedule).</summary>
    private static async Task<FillView> LastFillAsync(HttpClient api, Func<FillView, bool>? matching = null)
    {
        while (true)
        {
            var status = await api.GetFromJsonAsync<EngineStatus>(new Uri("/status", UriKind.Relative), Ct);
            if (status!.Backfill!.Platforms.SingleOrDefault(p => p.Platform == "digi")?.LastFill is { } fill && (matching?.Invoke(fill) ?? true))
            {
                return fill;
            }

            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Metrics and logged status of every scope the day names, as each host serves them, field for field.</summary>
    private static async Task<int> AssertHostsServeTheSameAsync(HttpClient reference, HttpClient outage, IReadOnlyList<JournalEntry> entries)
    {
        var fold = Fold(entries);
        foreach (var scope in fold.Scopes.Keys)
        {
            foreach (var resource in new[] { "metrics", "logged-status" })
            {
                var path = new Uri($"{ScopePath(scope)}/{resource}?window={Day}", UriKind.Relative);
                var expected = JsonNode.Parse(await reference.GetStringAsync(path, Ct));
                var served = JsonNode.Parse(await outage.GetStringAsync(path, Ct));
                Assert.True(JsonNode.DeepEquals(expected, served), $"{path}: without outage {expected}\nafter backfill {served}");
            }
        }

        return fold.Scopes.Count;
    }

    private static FoldResult Fold(IEnumerable<JournalEntry> entries)
    {
        var settings = TestPlatforms.Settings("unused.db");
        return OfflineFold.Run(PlatformSettings.Create(FoldComparison.PlatformsFrom(settings).Single(p => p.Id == "digi")), entries.Select(e => e.Event));
    }

    private static async Task<int> ConversationCountAsync(HttpClient api)
    {
        var date = SimulatedDay.Yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (count, cursor) = (0, (string?)null);
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/platforms/digi/conversations?from={date}&to={date}&limit=200{(cursor is null ? "" : "&cursor=" + cursor)}", UriKind.Relative), Ct);
            count += page.GetProperty("conversations").GetArrayLength();
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        return count;
    }

    private static (DateTimeOffset, DateTimeOffset) Span(IReadOnlyList<JournalEntry> entries) =>
        (DateTimeOffset.FromUnixTimeMilliseconds(entries.Min(e => e.Event.TimestampMs)), DateTimeOffset.FromUnixTimeMilliseconds(entries.Max(e => e.Event.TimestampMs) + 1));

    private static string ScopePath(ScopeKey scope) => scope.Kind switch
    {
        ScopeKind.Platform => "/api/platforms/digi",
        ScopeKind.Queue => $"/api/platforms/digi/queues/{Uri.EscapeDataString(scope.Id)}",
        ScopeKind.Team => $"/api/platforms/digi/teams/{Uri.EscapeDataString(scope.Id)}",
        _ => $"/api/platforms/digi/workers/{Uri.EscapeDataString(scope.Id)}",
    };

    private static void Report(FillView fill)
    {
        var seconds = (fill.Finished!.Value - fill.Started).TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"fill: {fill.Pages} pages, {fill.Seen} events in {seconds:F2} s ({fill.Seen / Math.Max(seconds, 0.001):F0} events/s)");
    }
}
