using System.Text.Json;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Grains.Stats;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Tasks;

/// <summary>
/// The live registry (the open tasks and the stuck list the platform's live answer reports, with every reason) against
/// the offline fold of the same journal, in the middle of a simulated day, with thresholds low enough that tasks are stuck.
/// </summary>
public sealed class StuckRegistryFoldTests
{
    [Fact]
    public async Task SimulatedDay_TheLiveRegistryAndItsStuckList_EqualTheOfflineFold()
    {
        var ct = TestContext.Current.CancellationToken;
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        var local = day.ToDateTime(new TimeOnly(8, 0));
        var start = new DateTimeOffset(local, SimulatedDay.Zone.GetUtcOffset(local));
        var now = start.AddHours(5).ToUnixTimeMilliseconds();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(now));
        await using var factory = new LifelineHostFactory(
            s =>
            {
                s["Lifeline:Live:MaxListed"] = "1000";
                s["Lifeline:Platforms:0:StuckThresholds:PendingWhileAvailable"] = "00:00:05";
                s["Lifeline:Platforms:0:StuckThresholds:AcceptedWithoutWorkerEvent"] = "00:03:00";
                s["Lifeline:Platforms:0:StuckThresholds:Wrapping"] = "00:02:00";
            },
            s => s.AddSingleton<TimeProvider>(clock));
        var options = new SimulatorOptions
        {
            Seed = 23,
            Duration = TimeSpan.FromHours(6),
            Workers = 16,
            Teams = 2,
            PeakArrivalsPerHour = 90,
            Platforms =
            [
                new SimulatorPlatformOptions
                {
                    Id = "digi", Name = "DIGI Central", Channel = "chat", AccountSid = TestPlatforms.DigiAccount, WorkspaceSid = TestPlatforms.DigiWorkspace,
                    AuthToken = TestPlatforms.DigiToken, TimeZone = SimulatedDay.Zone.Id, SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
                },
            ],
        };
        var entries = new TrafficSimulation(options, start).Events()
            .Where(e => e.TimestampMs <= now)
            .Select(e => new JournalEntry(e.PlatformId, TaskRouterEventParser.ParseFormBody(e.Form).Event!, JournalWireFormat.Form, e.Form))
            .ToList();
        var results = await factory.Journal.AppendAsync(entries);
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(results.Max(r => r.Sequence), ct);

        var live = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IStatsGrain>(StatsKey.Platform("digi").ToGrainKey()).GetLiveAsync();
        var settings = PlatformSettings.Create(factory.Services.GetRequiredService<IOptions<LifelineOptions>>().Value.Platforms.Single(p => p.Id == "digi"));
        var fold = LiveRegistryFold.Run(settings, [.. entries.Select(e => e.Event)]).Read(now, settings, 1_000);

        string Json<T>(T value) => JsonSerializer.Serialize(value, LifelineJson.Options);
        Assert.Equal(Json(fold.Counts), Json(live.Tasks));
        Assert.Equal(Json(fold.Stuck), Json(live.Stuck));
        Assert.Equal(Json(fold.LongestWaiting), Json(live.LongestWaiting));
        Assert.Equal(fold.StuckTotal, live.StuckTotal);
        Assert.True(live.Tasks.Pending + live.Tasks.Assigned + live.Tasks.Wrapping > 0, "the middle of a simulated day should have open tasks");
        Assert.NotEmpty(live.Stuck);
    }
}
