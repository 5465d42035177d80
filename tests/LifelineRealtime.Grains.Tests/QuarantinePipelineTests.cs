using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Quarantine;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Grains.Tests;

/// <summary>
/// A record that fails inside the grains (here: an event time in year 9999 let through the screen) is found
/// among the records of its round, set aside after its tries, and let go by its task; every other record,
/// including the rest of its task's events, is applied exactly once.
/// </summary>
[Collection(nameof(UnscreenedPipelineCollection))]
public sealed class QuarantinePipelineTests(UnscreenedPipelineFixture fixture)
{
    private const string Day = "day:2026-11-24";

    [Fact]
    public async Task RecordFailingInsideTheGrains_IsSetAsideAndTheRestOfItsTaskStillApplies()
    {
        var ct = TestContext.Current.CancellationToken;
        var salt = Guid.NewGuid().ToString("N")[..4];
        var story = Fixtures.FormStory(salt);
        var accepted = story.FindIndex(e => e.Event.EventType == "reservation.accepted");
        var poisonBody = System.Text.RegularExpressions.Regex.Replace(story[accepted].Payload, "TimestampMs=[0-9]+", "TimestampMs=253402300799999");
        var poison = story[accepted] with { Event = TaskRouterEventParser.ParseFormBody(poisonBody).Event!, Payload = poisonBody };
        var withPoison = story.Select((e, i) => i == accepted ? poison : e).ToList();

        // One append: the poison shares its round with the whole story, before and after it.
        var results = await fixture.Journal.AppendAsync(withPoison);
        // The fixture's retry delay is zero: the poison's retries need no clock to move.
        await fixture.Dispatcher.WaitForDispatchAsync(results.Max(r => r.Sequence), ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        var quarantine = fixture.Silo.GetRequiredService<IDispatchQuarantine>();
        var aside = (await quarantine.ListAsync(ct)).Where(r => r.EventSid == poison.Event.Sid).ToList();
        var entry = Assert.Single(aside);
        Assert.Equal(results[accepted].Sequence, entry.Sequence);
        Assert.Equal(3, entry.Attempts);
        Assert.Contains("ArgumentOutOfRangeException", entry.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await quarantine.ListAsync(ct), r => r.EventSid != poison.Event.Sid && story.Any(e => e.Event.Sid == r.EventSid));

        var without = story.Where((_, i) => i != accepted).ToList();
        foreach (var platform in new[] { "ciss", "digi" })
        {
            var settings = fixture.Platforms.Get(platform);
            var fold = OfflineFold.Run(settings, Fixtures.Events(without, platform));
            foreach (var (scope, statistics) in fold.Scopes)
            {
                if (scope.Kind == Domain.Metrics.ScopeKind.Platform)
                {
                    continue;
                }

                var grain = fixture.Cluster.GrainFactory.GetGrain<IStatsGrain>(new StatsKey(platform, scope.Kind, scope.Id).ToGrainKey());
                var window = MetricWindow.Parse(Day).Resolve(settings, PipelineClusterFixture.Now.ToUnixTimeMilliseconds());
                Assert.Equal(statistics.Snapshot(window), await grain.GetMetricsAsync(Day));
            }
        }
    }
}

/// <summary>The pipeline with a dispatcher that screens no event time.</summary>
public sealed class UnscreenedPipelineFixture : PipelineClusterFixture
{
    protected override bool ScreensEventTimes => false;
}

[CollectionDefinition(nameof(UnscreenedPipelineCollection))]
public sealed class UnscreenedPipelineCollection : ICollectionFixture<UnscreenedPipelineFixture>;
