using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Host.Tests.Backfill;

/// <summary>Simulated DIGI traffic of yesterday as the webhook would have journaled it, and as TaskRouter's Events resource lists it.</summary>
internal sealed record BackfillTraffic(IReadOnlyList<JournalEntry> Entries, IReadOnlyList<string> Resources)
{
    /// <summary>Yesterday from <paramref name="at"/> (platform time) for <paramref name="duration"/>; every event in the past.</summary>
    public static BackfillTraffic Yesterday(TimeOnly at, TimeSpan duration, int workers = 24, int teams = 3, int peakArrivalsPerHour = 60)
    {
        var local = SimulatedDay.Yesterday.ToDateTime(at);
        var start = new DateTimeOffset(local, SimulatedDay.Zone.GetUtcOffset(local));
        var options = new SimulatorOptions
        {
            Seed = 11,
            Duration = duration,
            Workers = workers,
            Teams = teams,
            PeakArrivalsPerHour = peakArrivalsPerHour,
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
                    TimeZone = SimulatedDay.Zone.Id,
                    SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
                },
            ],
        };
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = new TrafficSimulation(options, start).Events().Where(e => e.TimestampMs < now).ToList();
        return new BackfillTraffic(
            [.. events.Select(e => new JournalEntry(e.PlatformId, TaskRouterEventParser.ParseFormBody(e.Form).Event ?? throw new InvalidOperationException("unparsable event"), JournalWireFormat.Form, e.Form))],
            [.. events.Select(e => EventResources.FromForm(e.Form))]);
    }

    /// <summary>Local <paramref name="at"/> of yesterday, as an instant.</summary>
    public static DateTimeOffset YesterdayAt(TimeOnly at)
    {
        var local = SimulatedDay.Yesterday.ToDateTime(at);
        return new DateTimeOffset(local, SimulatedDay.Zone.GetUtcOffset(local));
    }
}
