using System.Collections.Concurrent;

namespace LifelineRealtime.Simulator.Tests;

/// <summary>Simulated days shared read-only by the tests (generated once per seed: the events and
/// the ground truth are never mutated after generation).</summary>
internal static class SimulatedDays
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 13, 0, 0, TimeSpan.Zero); // 00:00 in Sydney

    private static readonly ConcurrentDictionary<long, Lazy<(IReadOnlyList<SimulatedEvent> Events, GroundTruth Truth)>> Days = new();

    public static SimulatorOptions Options(long seed = 42) => new()
    {
        Enabled = true,
        Seed = seed,
        Start = Start,
        Duration = TimeSpan.FromDays(1),
        // A lighter day than the demo's default (DefaultDemoTests) keeps the suite fast; every check here
        // compares the engine with the ground truth, which holds at any load.
        Workers = 24,
        PeakArrivalsPerHour = 30,
        Teams = 4,
        Platforms =
        [
            new SimulatorPlatformOptions
            {
                Id = "ciss", Name = "CISS Central", Channel = "voice",
                AccountSid = "AC0000000000000000000000000000c155", WorkspaceSid = "WS0000000000000000000000000000c155",
                AuthToken = "test_token_ciss", TimeZone = "Australia/Sydney",
                SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
            },
            new SimulatorPlatformOptions
            {
                Id = "digi", Name = "DIGI Central", Channel = "chat",
                AccountSid = "AC0000000000000000000000000000d161", WorkspaceSid = "WS0000000000000000000000000000d161",
                AuthToken = "test_token_digi", TimeZone = "Australia/Sydney",
                SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support", "technical_support"],
            },
        ],
    };

    public static (IReadOnlyList<SimulatedEvent> Events, GroundTruth Truth) Day(long seed = 42) =>
        Days.GetOrAdd(seed, s => new(() =>
        {
            var simulation = new TrafficSimulation(Options(s), Start);
            var events = simulation.Events().ToList();
            return (events, simulation.GroundTruth);
        })).Value;

    public static IReadOnlyDictionary<string, string> Fields(this SimulatedEvent e) => FormBody.DecodeToDictionary(e.Form);
}
