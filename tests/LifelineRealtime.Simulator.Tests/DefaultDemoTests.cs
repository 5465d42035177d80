using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Platforms;
using Microsoft.Extensions.Configuration;

namespace LifelineRealtime.Simulator.Tests;

/// <summary>
/// The day a newcomer's <c>dotnet run</c> simulates (the host's shipped development settings), held to a
/// well-run crisis line by the simulator's own ground truth: service level mostly 80–95 %, a few urgent
/// contacts a simulated hour waiting past their alert, some rejects and RONAs, the odd stuck task, both
/// platforms busy, and an evening peak.
/// </summary>
public sealed class DefaultDemoTests
{
    private static readonly Lazy<DemoDay> Day = new(DemoDay.Simulate);

    [Theory]
    [InlineData("ciss")]
    [InlineData("digi")]
    public void DefaultDay_ServiceLevel_IsThatOfAWellRunLine(string platformId)
    {
        var day = Day.Value;
        var serviceLevel = day.ServiceLevel(platformId, day.Start, day.Start.AddDays(1));
        Assert.InRange(serviceLevel, 0.80, 0.95);

        // Mostly in band hour by hour: an evening rush may dip, the line never collapses.
        var hours = Enumerable.Range(0, 24).Select(h => day.ServiceLevel(platformId, day.Start.AddHours(h), day.Start.AddHours(h + 1))).ToList();
        Assert.True(hours.Count(sl => sl >= 0.80) >= 18, $"hours with service level >= 80 %: {string.Join(", ", hours.Select(h => h.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.All(hours, sl => Assert.True(sl >= 0.40, $"an hour at {sl:P0}"));
    }

    [Fact]
    public void DefaultDay_UrgentContactsWaitPastTheirAlert_AFewEachHour()
    {
        var day = Day.Value;
        var late = day.Platforms.Sum(p => day.Tasks(p.Id).Count(t => p.IsUrgentWaitAlert(t.SupportType, t.WaitMs ?? t.AbandonedWaitMs ?? long.MaxValue)));
        var urgent = day.Platforms.Sum(p => day.Tasks(p.Id).Count(t => p.IsUrgent(t.SupportType)));

        // Both platforms together: on average one to five an hour, and most urgent contacts answered in time.
        Assert.InRange(late, 24, 120);
        Assert.True(late < urgent / 4, $"{late} of {urgent} urgent contacts waited past their alert");
    }

    [Theory]
    [InlineData("ciss")]
    [InlineData("digi")]
    public void DefaultDay_Platform_IsBusyWithADailyRhythm_SomeRejectsRonasAndStuckTasks(string platformId)
    {
        var day = Day.Value;
        var settings = day.Platforms.Single(p => p.Id == platformId);
        var counts = day.Simulation.GroundTruth.Counts(platformId, day.Start, day.Start.AddDays(1)).Values.ToList();
        var offered = counts.Sum(c => c.Offered);
        var reservations = counts.Sum(c => c.Reservations);
        var rejected = counts.Sum(c => c.Rejected);
        var timedOut = counts.Sum(c => c.TimedOut);

        Assert.True(offered >= 500, $"{offered} offered in a day");
        Assert.InRange(rejected, 1, reservations / 10);
        Assert.InRange(timedOut, 1, reservations / 10);

        var stuck = day.Tasks(platformId).Count(t => t.WrapMs is { } wrap && settings.IsStuck(TaskLiveStatus.Wrapping, wrap));
        Assert.InRange(stuck, 1, offered / 50);

        var perHour = Enumerable.Range(0, 24)
            .Select(h => day.Tasks(platformId).Count(t => t.CreatedMs >= day.Start.AddHours(h).ToUnixTimeMilliseconds() && t.CreatedMs < day.Start.AddHours(h + 1).ToUnixTimeMilliseconds()))
            .ToList();
        Assert.True(perHour.Max() >= 2.5 * perHour.Min(), $"arrivals by hour: {string.Join(", ", perHour)}");

        // The evening is the peak (local hours 17–22), the small hours the trough.
        Assert.InRange(perHour.IndexOf(perHour.Max()), 17, 22);
        Assert.InRange(perHour.IndexOf(perHour.Min()), 1, 7);
    }

    private sealed record DemoDay(TrafficSimulation Simulation, DateTimeOffset Start, IReadOnlyList<PlatformSettings> Platforms)
    {
        public static DemoDay Simulate()
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "host-settings");
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(folder, "appsettings.json"), optional: false)
                .AddJsonFile(Path.Combine(folder, "appsettings.Development.json"), optional: false)
                .Build();
            var options = configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>() ?? new SimulatorOptions();
            options.Platforms = configuration.GetSection(SimulatorOptions.PlatformsSectionName).Get<List<SimulatorPlatformOptions>>() ?? [];
            var platforms = (configuration.GetSection(SimulatorOptions.PlatformsSectionName).Get<List<PlatformOptions>>() ?? [])
                .Select(p => PlatformSettings.Create(p))
                .ToList();
            Assert.Equal(["ciss", "digi"], platforms.Select(p => p.Id));

            // One local day from midnight in Sydney; the demo itself starts at "now", with the same rhythm.
            var start = new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);
            options.Start = start;
            options.Duration = TimeSpan.FromDays(1);
            var simulation = new TrafficSimulation(options, start);
            foreach (var _ in simulation.Events())
            {
            }

            return new DemoDay(simulation, start, platforms);
        }

        public IEnumerable<TaskExpectation> Tasks(string platformId) =>
            Simulation.GroundTruth.Tasks.Where(t => t.PlatformId == platformId && t.CreatedMs < Start.AddDays(1).ToUnixTimeMilliseconds());

        /// <summary>
        /// Design §5's service level, from the ground truth of the tasks created in [from, to): answered within the
        /// support type's threshold over answered plus abandoned, short abandons left out.
        /// </summary>
        public double ServiceLevel(string platformId, DateTimeOffset from, DateTimeOffset to)
        {
            var settings = Platforms.Single(p => p.Id == platformId);
            var tasks = Tasks(platformId).Where(t => t.CreatedMs >= from.ToUnixTimeMilliseconds() && t.CreatedMs < to.ToUnixTimeMilliseconds()).ToList();
            var answered = tasks.Count(t => t.WaitMs is { } wait && wait <= settings.ServiceLevelMs(settings.SupportTypeIndex(t.SupportType)));
            var handled = tasks.Count(t => t.WaitMs is not null);
            var abandoned = tasks.Count(t => t.AbandonedWaitMs is { } wait && wait > settings.ShortAbandonMs);
            return handled + abandoned == 0 ? 1.0 : (double)answered / (handled + abandoned);
        }
    }
}
