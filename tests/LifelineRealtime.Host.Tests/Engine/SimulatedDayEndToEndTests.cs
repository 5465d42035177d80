using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// A simulated day through the whole engine: signed callbacks over HTTP → journal → grains → API. The API's
/// numbers must equal the simulator's own ground truth (an independent answer) and the offline fold.
/// </summary>
public sealed class SimulatedDayEndToEndTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 13, 0, 0, TimeSpan.Zero); // 2026-11-24 00:00 Sydney
    private const string Day = "day:2026-11-24";

    [Fact]
    public async Task SimulatedDay_OverHttp_ApiEqualsGroundTruthAndOfflineFold()
    {
        var ct = TestContext.Current.CancellationToken;
        var simulation = new TrafficSimulation(Options(), Start);
        var events = simulation.Events().ToList();
        var tokens = new Dictionary<string, string> { ["ciss"] = TestPlatforms.CissToken, ["digi"] = TestPlatforms.DigiToken };
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();

        foreach (var e in events)
        {
            using var request = WebhookRequests.Simulated(e.PlatformId, e.Form, tokens[e.PlatformId]);
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, ct);
        var records = await factory.Journal.ReadAfterSequenceAsync(0, 1_000_000, ct);
        Assert.Equal(events.Count, records.Count);

        foreach (var platformId in new[] { "ciss", "digi" })
        {
            var served = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/platforms/{platformId}/metrics?window={Day}", UriKind.Relative), ct))!;

            // 1. The simulator's ground truth, from its own decisions.
            foreach (var (supportType, counts) in simulation.GroundTruth.Counts(platformId, Start, Start.AddDays(1)))
            {
                var row = served["bySupportType"]![supportType]!;
                Assert.Equal(
                    counts,
                    new MeasureCounts(
                        (long)row["offered"]!, (long)row["handled"]!, (long)row["abandoned"]!, (long)row["reservations"]!,
                        (long)row["rejected"]!, (long)row["timedOut"]!, (long)row["transferred"]!));
            }

            // 1b. The longest of each duration, to the millisecond, from the simulator's own task timings: each
            // is booked at the event that completes it (acceptance, wrap-up, completion, cancel).
            var dayStart = Start.ToUnixTimeMilliseconds();
            var dayEnd = Start.AddDays(1).ToUnixTimeMilliseconds();
            var tasks = simulation.GroundTruth.Tasks.Where(t => t.PlatformId == platformId).ToList();
            double? Longest(IEnumerable<(long? Ms, long? BookedMs)> durations) =>
                durations.Where(d => d.Ms is not null && d.BookedMs >= dayStart && d.BookedMs < dayEnd).Select(d => d.Ms!.Value / 1000.0).DefaultIfEmpty().Max() is var max && max > 0 ? max : null;
            var expectedMax = new Dictionary<string, double?>
            {
                ["waitSeconds"] = Longest(tasks.Select(t => (t.WaitMs, t.CreatedMs + t.WaitMs))),
                ["abandonedWaitSeconds"] = Longest(tasks.Select(t => (t.AbandonedWaitMs, t.CreatedMs + t.AbandonedWaitMs))),
                ["talkSeconds"] = Longest(tasks.Select(t => (t.TalkMs, t.CreatedMs + t.WaitMs + t.TalkMs))),
                ["wrapSeconds"] = Longest(tasks.Select(t => (t.WrapMs, t.CreatedMs + t.WaitMs + t.TalkMs + t.WrapMs))),
            };
            foreach (var (measure, max) in expectedMax)
            {
                Assert.True(max is not null, $"{platformId} {measure}: the simulated day should have one");
                Assert.Equal(max, (double?)served["totals"]![measure]!["max"]);
            }

            // 2. The offline fold of the journal, field for field.
            var options = factory.Services.GetRequiredService<IOptions<LifelineOptions>>().Value.Platforms.Single(p => p.Id == platformId);
            var settings = PlatformSettings.Create(options);
            var fold = OfflineFold.Run(settings, records.Where(r => r.PlatformId == platformId).Select(r => r.Event));
            var expected = fold.Scope(ScopeKey.Platform(platformId)).Snapshot(MetricWindow.Parse(Day).Resolve(settings, Start.AddDays(2).ToUnixTimeMilliseconds()));
            var expectedJson = JsonNode.Parse(JsonSerializer.Serialize(expected, LifelineJson.Options));
            Assert.True(JsonNode.DeepEquals(expectedJson, served), $"{platformId}: expected {expectedJson}\nserved {served}");
            Assert.True((long)served["totals"]!["offered"]! > 50, "a simulated day should have real traffic");
        }
    }

    private static SimulatorOptions Options() => new()
    {
        Seed = 5,
        Start = Start,
        Duration = TimeSpan.FromDays(1),
        // A lighter day than the demo's default (DefaultDemoTests) keeps the suite fast; every check here
        // compares the engine with the ground truth, which holds at any load.
        Workers = 24,
        PeakArrivalsPerHour = 30,
        Teams = 4,
        Platforms =
        [
            Platform("ciss", "voice", TestPlatforms.CissAccount, TestPlatforms.CissWorkspace, TestPlatforms.CissToken),
            Platform("digi", "chat", TestPlatforms.DigiAccount, TestPlatforms.DigiWorkspace, TestPlatforms.DigiToken),
        ],
    };

    private static SimulatorPlatformOptions Platform(string id, string channel, string account, string workspace, string token) => new()
    {
        Id = id,
        Name = id.ToUpperInvariant() + " Central",
        Channel = channel,
        AccountSid = account,
        WorkspaceSid = workspace,
        AuthToken = token,
        TimeZone = "Australia/Sydney",
        SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
    };
}
