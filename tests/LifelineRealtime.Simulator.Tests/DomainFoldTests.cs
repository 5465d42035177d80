using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using ScopeKey = LifelineRealtime.Domain.Metrics.ScopeKey;

namespace LifelineRealtime.Simulator.Tests;

/// <summary>The engine's offline fold of a simulated day against the simulator's independent ground truth.</summary>
public sealed class DomainFoldTests
{
    private static PlatformSettings Settings(SimulatorPlatformOptions p) => PlatformSettings.Create(new PlatformOptions
    {
        Id = p.Id,
        Name = p.Name,
        Channel = p.Channel,
        AccountSid = p.AccountSid,
        WorkspaceSid = p.WorkspaceSid,
        AuthToken = p.AuthToken,
        TimeZone = p.TimeZone,
        SupportTypes = [.. p.SupportTypes],
        SupportTypeRules = [new SupportTypeRuleOptions { Attribute = "supportType" }],
        ServiceLevelSeconds = new() { ["default"] = 60 },
    });

    private static (FoldResult Fold, ResolvedWindow Window) FoldDay(string platformId)
    {
        var (events, _) = SimulatedDays.Day();
        var settings = Settings(SimulatedDays.Options().Platforms.Single(p => p.Id == platformId));
        var parsed = events.Where(e => e.PlatformId == platformId).Select(e => TaskRouterEventParser.ParseFormBody(e.Form).Event!);
        var fold = OfflineFold.Run(settings, parsed);
        // "Now" well after the day, so the open activity of each worker counts to the window's end.
        var window = MetricWindow.Parse("day:2026-11-24").Resolve(settings, SimulatedDays.Start.AddDays(3).ToUnixTimeMilliseconds());
        return (fold, window);
    }

    [Theory]
    [InlineData("ciss")]
    [InlineData("digi")]
    public void OfflineFold_SimulatedDay_CountsEqualTheGroundTruth(string platformId)
    {
        var (_, truth) = SimulatedDays.Day();
        var (fold, window) = FoldDay(platformId);
        Assert.Equal(SimulatedDays.Start.ToUnixTimeMilliseconds(), window.StartMs);

        var snapshot = fold.Scope(ScopeKey.Platform(platformId)).Snapshot(window);
        var expected = truth.Counts(platformId, SimulatedDays.Start, SimulatedDays.Start.AddDays(1));

        foreach (var (supportType, counts) in expected)
        {
            var actual = snapshot.BySupportType[supportType];
            Assert.Equal(counts, new MeasureCounts(actual.Offered, actual.Handled, actual.Abandoned, actual.Reservations, actual.Rejected, actual.TimedOut, actual.Transferred));
        }

        var accepted = truth.Tasks.Where(t => t.PlatformId == platformId && t.WaitMs is { } w && t.CreatedMs + w < window.EndMs).ToList();
        Assert.Equal(accepted.Count, snapshot.Totals.WaitSeconds.Count);
        Assert.Equal(accepted.Sum(t => t.WaitMs!.Value) / 1000.0, snapshot.Totals.WaitSeconds.Sum, 3);
    }

    [Theory]
    [InlineData("ciss")]
    [InlineData("digi")]
    public void OfflineFold_SimulatedDay_WorkerActivityEqualsTheGroundTruth(string platformId)
    {
        var (_, truth) = SimulatedDays.Day();
        var (fold, window) = FoldDay(platformId);

        foreach (var worker in truth.Workers.Where(w => w.PlatformId == platformId))
        {
            var expected = truth.ActivityMilliseconds(platformId, worker.WorkerSid, SimulatedDays.Start, SimulatedDays.Start.AddDays(1));
            var actual = fold.Scope(ScopeKey.Worker(worker.WorkerSid)).LoggedStatus(window).Activities;

            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            Assert.All(expected, kv => Assert.Equal(kv.Value / 1000.0, actual[kv.Key].Seconds, 3));
        }
    }
}
