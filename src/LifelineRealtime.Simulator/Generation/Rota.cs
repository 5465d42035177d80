namespace LifelineRealtime.Simulator.Generation;

/// <summary>
/// The shifts of a platform's roster, planned the way a workforce planner would: every shift is
/// <see cref="ShiftHours"/> long, and each worker in turn takes the start hour that covers the most
/// of what is still uncovered of the demand curve, so staffing follows the daily rhythm of arrivals
/// (with a floor, so the quiet night hours are never left to one person).
/// </summary>
internal static class Rota
{
    public const int ShiftHours = 8;

    /// <summary>
    /// Share of the peak arrival rate by local hour: a crisis line is busiest in the evening and
    /// quietest before dawn.
    /// </summary>
    public static IReadOnlyList<double> HourlyRhythm { get; } =
    [
        0.55, 0.45, 0.35, 0.30, 0.25, 0.25, 0.30, 0.40, 0.55, 0.65, 0.70, 0.75,
        0.75, 0.75, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00, 1.00, 0.95, 0.85, 0.70,
    ];

    // Staffing does not scale down linearly with demand: a small queue needs proportionally more
    // people to answer as fast as a big one (fewer chances that someone is free).
    private const double Floor = 0.15;

    /// <summary>The local start hour (0–23) of each of <paramref name="workers"/> workers' shifts.</summary>
    public static int[] StartHours(int workers)
    {
        var total = HourlyRhythm.Sum(r => r + Floor);
        var target = HourlyRhythm.Select(r => (r + Floor) / total * workers * ShiftHours).ToArray();
        var covered = new double[24];
        var starts = new int[workers];
        for (var i = 0; i < workers; i++)
        {
            var best = 0;
            var bestGap = double.NegativeInfinity;
            for (var start = 0; start < 24; start++)
            {
                var gap = 0.0;
                for (var k = 0; k < ShiftHours; k++)
                {
                    var hour = (start + k) % 24;
                    gap += target[hour] - covered[hour];
                }

                if (gap > bestGap + 1e-9)
                {
                    best = start;
                    bestGap = gap;
                }
            }

            starts[i] = best;
            for (var k = 0; k < ShiftHours; k++)
            {
                covered[(best + k) % 24]++;
            }
        }

        return starts;
    }
}
