using LifelineRealtime.Simulator.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Simulator.Tests;

public sealed class PacingTests
{
    [Fact]
    public async Task Pacer_DayInAMinute_ReleasesAnEventAtItsScaledTime()
    {
        var time = new FakeTimeProvider(SimulatedDays.Start);
        var pacer = new SimulationPacer(time, speed: 1440);
        var start = SimulatedDays.Start.ToUnixTimeMilliseconds();
        pacer.Start(start);

        // One simulated hour is 2.5 real seconds at a day per minute.
        var waiting = pacer.WaitForAsync(start + 3_600_000, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(2499));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting;

        Assert.True(pacer.WaitForAsync(start + 3_600_000, TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public async Task Pacer_NotStarted_AnchorsOnTheFirstEvent()
    {
        var time = new FakeTimeProvider(SimulatedDays.Start);
        var pacer = new SimulationPacer(time, speed: 1);

        await pacer.WaitForAsync(1_000_000, TestContext.Current.CancellationToken);
        var second = pacer.WaitForAsync(1_010_000, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second;
    }
}
