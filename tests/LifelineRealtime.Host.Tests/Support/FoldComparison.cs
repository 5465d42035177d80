using System.Text.Json;
using System.Text.Json.Nodes;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Configuration;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>The reference every served number is held to: the offline fold of journal records.</summary>
internal static class FoldComparison
{
    /// <summary>
    /// Asserts that every DIGI scope the fold of <paramref name="records"/> knows is served over HTTP with
    /// exactly the fold's metrics for <paramref name="day"/>. Returns how many scopes were compared.
    /// </summary>
    public static Task<int> AssertDigiMetricsEqualFoldAsync(
        HttpClient client, Dictionary<string, string?> settings, IEnumerable<JournalRecord> records, string day, CancellationToken ct) =>
        AssertDigiMetricsEqualFoldAsync(client, settings, records.Where(r => r.PlatformId == "digi").Select(r => r.Event), day, ct);

    /// <summary>The same, against the fold of DIGI events however they came (e.g. a run without an outage).</summary>
    public static async Task<int> AssertDigiMetricsEqualFoldAsync(
        HttpClient client, Dictionary<string, string?> settings, IEnumerable<TaskRouterEvent> events, string day, CancellationToken ct)
    {
        var platform = PlatformSettings.Create(PlatformsFrom(settings).Single(p => p.Id == "digi"));
        var fold = OfflineFold.Run(platform, events);
        var window = MetricWindow.Parse(day).Resolve(platform, 1_795_474_800_000);
        foreach (var (scope, statistics) in fold.Scopes)
        {
            var expected = JsonNode.Parse(JsonSerializer.Serialize(statistics.Snapshot(window), LifelineJson.Options));
            var path = $"{ScopePath(scope)}/metrics?window={day}";
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
            var actual = JsonNode.Parse(body);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{scope}: expected {expected}, served {actual}");
        }

        return fold.Scopes.Count;
    }

    public static List<PlatformOptions> PlatformsFrom(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Lifeline:Platforms").Get<List<PlatformOptions>>()!;

    private static string ScopePath(ScopeKey scope) => scope.Kind switch
    {
        ScopeKind.Platform => "/api/platforms/digi",
        ScopeKind.Queue => $"/api/platforms/digi/queues/{Uri.EscapeDataString(scope.Id)}",
        ScopeKind.Team => $"/api/platforms/digi/teams/{Uri.EscapeDataString(scope.Id)}",
        _ => $"/api/platforms/digi/workers/{Uri.EscapeDataString(scope.Id)}",
    };
}
