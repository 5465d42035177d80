using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// Yesterday on DIGI (08:00–18:00 in the platform's zone), from the simulator, journaled as the webhooks would
/// have committed it. Every event is in the past, so windows over yesterday hold still while a page and the API are compared;
/// the agents' timelines are still held (two days).
/// </summary>
internal static class SimulatedDay
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");

    public static DateOnly Yesterday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime).AddDays(-1);

    /// <summary>Journals the day and waits for it to be dispatched; answers what was journaled and the simulator's own account of it.</summary>
    public static Task<(IReadOnlyList<JournalEntry> Events, GroundTruth Truth)> AppendAsync(LifelineHostFactory factory, CancellationToken cancellationToken) =>
        AppendAsync(factory, Yesterday, new TimeOnly(8, 0), TimeSpan.FromHours(10), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (24, 3, 60), cancellationToken);

    /// <summary>Any stretch of DIGI traffic from a local day and time, journaled and dispatched (every event in the past is kept).</summary>
    public static async Task<(IReadOnlyList<JournalEntry> Events, GroundTruth Truth)> AppendAsync(
        LifelineHostFactory factory, DateOnly day, TimeOnly at, TimeSpan duration, Action<SimulatorOptions> configure, CancellationToken cancellationToken)
    {
        var (entries, truth) = Entries(day, at, duration, configure);
        var results = await factory.Journal.AppendAsync(entries);
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(results.Max(r => r.Sequence), cancellationToken);
        return (entries, truth);
    }

    /// <summary>The journal entries of a stretch of DIGI traffic (those in the past), not yet journaled.</summary>
    public static (List<JournalEntry> Events, GroundTruth Truth) Entries(DateOnly day, TimeOnly at, TimeSpan duration, Action<SimulatorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var local = day.ToDateTime(at);
        var start = new DateTimeOffset(local, Zone.GetUtcOffset(local));
        var options = new SimulatorOptions
        {
            Seed = 11,
            Duration = duration,
            Platforms =
            [
                new SimulatorPlatformOptions
                {
                    Id = "digi",
                    Name = "DIGI Central",
                    Channel = "chat",
                    AccountSid = TestPlatforms.DigiAccount,
                    WorkspaceSid = TestPlatforms.DigiWorkspace,
                    AuthToken = TestPlatforms.DigiToken,
                    TimeZone = Zone.Id,
                    SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
                },
            ],
        };
        configure(options);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var simulation = new TrafficSimulation(options, start);
        var entries = simulation.Events()
            .Where(e => e.TimestampMs < now)
            .Select(e => new JournalEntry(e.PlatformId, TaskRouterEventParser.ParseFormBody(e.Form).Event ?? throw new InvalidOperationException("unparsable event"), JournalWireFormat.Form, e.Form))
            .ToList();
        return (entries, simulation.GroundTruth);
    }
}
