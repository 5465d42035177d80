using LifelineRealtime.Domain.Lifecycle;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

/// <summary>The agent's timeline as a page draws it: activities in time order, cut to the window, the current one open.</summary>
public sealed class WorkerTimelineSegmentsTests
{
    private static WorkerTimeline Day()
    {
        var ev = new TestEvents();
        var timeline = new WorkerTimeline("WK1", TestEvents.Digi);
        // Available 10 min, then Break 5 min, then Available 20 min (reported out of order), now Offline.
        timeline.Apply(ev.Activity("WK1", "Team A", T0 + 35 * 60_000, "Offline", "Available", 20 * 60_000));
        timeline.Apply(ev.Activity("WK1", "Team A", T0 + 10 * 60_000, "Break", "Available", 10 * 60_000));
        timeline.Apply(ev.Activity("WK1", "Team A", T0 + 15 * 60_000, "Available", "Break", 5 * 60_000));
        return timeline;
    }

    [Fact]
    public void Segments_AreInTimeOrder_WithTheCurrentActivityRunningToNow()
    {
        var segments = Day().Segments(T0 - 60_000, T0 + 3_600_000, nowMs: T0 + 40 * 60_000);

        Assert.Equal(
            [
                new TimelineSegment("Available", "Team A", T0, T0 + 10 * 60_000, false),
                new TimelineSegment("Break", "Team A", T0 + 10 * 60_000, T0 + 15 * 60_000, false),
                new TimelineSegment("Available", "Team A", T0 + 15 * 60_000, T0 + 35 * 60_000, false),
                new TimelineSegment("Offline", "Team A", T0 + 35 * 60_000, T0 + 40 * 60_000, true),
            ],
            segments);
    }

    [Fact]
    public void Segments_AreCutToTheWindow_AndACurrentActivityPastItsEndIsNotOpen()
    {
        var segments = Day().Segments(T0 + 12 * 60_000, T0 + 36 * 60_000, nowMs: T0 + 50 * 60_000);

        Assert.Equal(
            [
                new TimelineSegment("Break", "Team A", T0 + 12 * 60_000, T0 + 15 * 60_000, false),
                new TimelineSegment("Available", "Team A", T0 + 15 * 60_000, T0 + 35 * 60_000, false),
                new TimelineSegment("Offline", "Team A", T0 + 35 * 60_000, T0 + 36 * 60_000, false),
            ],
            segments);
    }

    [Fact]
    public void Segments_OfAWindowWithNoActivity_AreEmpty()
    {
        Assert.Empty(Day().Segments(T0 - 7_200_000, T0 - 3_600_000, nowMs: T0 + 40 * 60_000));
        Assert.Empty(new WorkerTimeline("WK2", TestEvents.Digi).Segments(T0, T0 + 60_000, T0 + 60_000));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(WorkerTimeline.RetainedMs, true)]
    [InlineData(WorkerTimeline.RetainedMs + 1, false)]
    public void Holds_WindowsStartingWithinTheRetention(long ageMs, bool held)
    {
        Assert.Equal(held, WorkerTimeline.Holds(T0 - ageMs, T0));
    }
}
