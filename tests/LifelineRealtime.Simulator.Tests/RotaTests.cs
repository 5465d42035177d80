using LifelineRealtime.Simulator.Generation;

namespace LifelineRealtime.Simulator.Tests;

public sealed class RotaTests
{
    private static int[] Coverage(int[] starts)
    {
        var covered = new int[24];
        foreach (var start in starts)
        {
            for (var k = 0; k < Rota.ShiftHours; k++)
            {
                covered[(start + k) % 24]++;
            }
        }

        return covered;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(24)]
    [InlineData(54)]
    [InlineData(500)]
    public void StartHours_EveryHourIsCovered(int workers)
    {
        var starts = Rota.StartHours(workers);

        Assert.Equal(workers, starts.Length);
        Assert.All(starts, s => Assert.InRange(s, 0, 23));
        Assert.All(Coverage(starts), c => Assert.True(c >= 1));
    }

    [Fact]
    public void StartHours_StaffingFollowsTheRhythm()
    {
        var covered = Coverage(Rota.StartHours(54));
        var busiest = Enumerable.Range(0, 24).MaxBy(h => Rota.HourlyRhythm[h]);
        var quietest = Enumerable.Range(0, 24).MinBy(h => Rota.HourlyRhythm[h]);

        Assert.True(covered[busiest] >= 2.5 * covered[quietest], $"{covered[busiest]} on at {busiest}:00, {covered[quietest]} at {quietest}:00");
        Assert.Equal(54 * Rota.ShiftHours, covered.Sum());
    }

    [Fact]
    public void StartHours_Empty_ForNoWorkers() => Assert.Empty(Rota.StartHours(0));
}
