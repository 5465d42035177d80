namespace LifelineRealtime.Simulator.Tests;

/// <summary>Arrival rates past one task a simulated second (a national line's busiest days) bring the tasks they ask for.</summary>
public sealed class ArrivalRateTests
{
    // 19:00 in Sydney (AEDT), the first of the two peak hours of the daily rhythm (share 1.0).
    private static readonly DateTimeOffset PeakHour = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static int TasksCreated(double peakArrivalsPerHour, TimeSpan duration)
    {
        var options = SimulatedDays.Options();
        options.Start = PeakHour;
        options.Duration = duration;
        options.PeakArrivalsPerHour = peakArrivalsPerHour;
        options.Platforms = [options.Platforms[0]];
        return new TrafficSimulation(options, PeakHour).Events()
            .Count(e => e.Fields()["EventType"] == "task.created");
    }

    [Fact]
    public void TwoArrivalsASecond_EverySecondBringsTwoTasks()
    {
        // 7,200 an hour at the peak is exactly two a second: ten minutes hold 1,200 tasks, no draw involved.
        Assert.Equal(1_200, TasksCreated(7_200, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void TwoAndAHalfASecond_TheFractionIsDrawnEachSecond()
    {
        // Two a second for sure and a third with probability 0.5: 1,500 expected in 600 seconds, standard deviation about 12.
        var created = TasksCreated(9_000, TimeSpan.FromMinutes(10));
        Assert.InRange(created, 1_440, 1_560);
    }

    [Fact]
    public void BelowOneASecond_AtMostOneTaskASecond()
    {
        // 1,800 an hour is one chance in two each second: about 300 in ten minutes, never more than 600.
        var created = TasksCreated(1_800, TimeSpan.FromMinutes(10));
        Assert.InRange(created, 240, 360);
    }
}
