using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

public sealed class StreamingFoldTests
{
    [Fact]
    public void EventsOneAtATime_FoldAsTheWholeSequenceDoes_AndFinishOnce()
    {
        var events = Events().ToList();
        var fold = new StreamingFold(TestEvents.Digi);
        foreach (var e in events)
        {
            fold.Add(e);
        }

        var result = fold.Finish();
        var whole = OfflineFold.Run(TestEvents.Digi, events);

        Assert.Equal(events.Count, fold.Events);
        Assert.Same(result, fold.Finish());
        Assert.Equal(whole.Tasks.Keys.Order(StringComparer.Ordinal), result.Tasks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(whole.Scopes.Keys.Order(), result.Scopes.Keys.Order());
        var window = MetricWindow.Parse("day:2026-11-24").Resolve(TestEvents.Digi, T0 + 3_600_000);
        Assert.Equal(whole.Scope(ScopeKey.Platform("digi")).Snapshot(window).Totals, result.Scope(ScopeKey.Platform("digi")).Snapshot(window).Totals);
        Assert.Throws<InvalidOperationException>(() => fold.Add(events[0]));
    }
}
