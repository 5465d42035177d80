using System.Text.Json;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

public sealed class SnapshotJsonTests
{
    /// <summary>The expected texts are written with single quotes for readability; the JSON itself holds none.</summary>
    private static string Quoted(string json) => json.Replace('"', '\'');

    private static PlatformSettings TwoTypes()
    {
        var options = TestEvents.DigiOptions();
        options.SupportTypes = ["imminent", "support"];
        return PlatformSettings.Create(options);
    }

    [Fact]
    public void MetricsSnapshot_Serializes_ToTheDesignShape()
    {
        var settings = TwoTypes();
        var result = OfflineFold.Run(settings, Events());
        var snapshot = result.Scope(ScopeKey.Team("Team A")).Snapshot(MetricWindow.Parse("day:2026-11-24").Resolve(settings, T0));

        var json = JsonSerializer.Serialize(snapshot, LifelineJson.Options);

        const string empty = "{'count':0,'sum':0,'avg':null,'max':null,'p50':null,'p90':null}";
        const string values = "{'offered':0,'handled':1,'abandoned':0,'reservations':2,'rejected':0,'timedOut':1,'transferred':0," +
            "'waitSeconds':{'count':1,'sum':49.25,'avg':49.25,'max':49.25,'p50':49.25,'p90':49.25},'abandonedWaitSeconds':" + empty + "," +
            "'talkSeconds':{'count':1,'sum':1200.05,'avg':1200.05,'max':1200.05,'p50':1200.05,'p90':1200.05}," +
            "'wrapSeconds':{'count':1,'sum':135.5,'avg':135.5,'max':135.5,'p50':135.5,'p90':135.5}," +
            "'handleSeconds':{'count':1,'sum':1335.55,'avg':1335.55,'max':1335.55,'p50':1335.55,'p90':1335.55}," +
            "'shortAbandoned':0,'answeredInThreshold':0,'rejectRate':0,'timeoutRate':0.5,'transferRate':0,'abandonRate':null,'serviceLevel':null}";
        const string zeros = "{'offered':0,'handled':0,'abandoned':0,'reservations':0,'rejected':0,'timedOut':0,'transferred':0," +
            "'waitSeconds':" + empty + ",'abandonedWaitSeconds':" + empty + ",'talkSeconds':" + empty + "," +
            "'wrapSeconds':" + empty + ",'handleSeconds':" + empty + "," +
            "'shortAbandoned':0,'answeredInThreshold':0,'rejectRate':null,'timeoutRate':null,'transferRate':null,'abandonRate':null,'serviceLevel':null}";
        Assert.Equal(
            "{'platform':'digi','scope':'team','id':'Team A'," +
            "'window':{'name':'day:2026-11-24','start':'2026-11-23T13:00:00Z','end':'2026-11-24T13:00:00Z','timeZone':'Australia/Sydney'}," +
            "'totals':" + values + ",'bySupportType':{'imminent':" + values + ",'support':" + zeros + "}}",
            Quoted(json));
    }

    [Fact]
    public void LoggedStatusSnapshot_Serializes_ToTheDesignShape_WithWorkersOnlyForGroups()
    {
        var settings = TwoTypes();
        var ev = new TestEvents();
        var result = OfflineFold.Run(settings,
        [
            ev.Activity("WK1", "Team A", T0 + 60_000, "Break", "Available", 45_000),
            ev.Activity("WK1", "Team A", T0 + 90_000, "Offline", "Break", 30_000),
        ]);
        var window = MetricWindow.Parse("day:2026-11-24").Resolve(settings, T0 + 100_000);
        var worker = result.Scope(ScopeKey.Worker("WK1")).LoggedStatus(window);

        var workerJson = JsonSerializer.Serialize(worker.ToSnapshot(), LifelineJson.Options);
        var teamJson = JsonSerializer.Serialize(result.Scope(ScopeKey.Team("Team A")).LoggedStatus(window).ToSnapshot([worker.ForWorker("WK1", "Alex Example")]), LifelineJson.Options);

        const string activities = "{'Available':{'seconds':45,'percent':60},'Break':{'seconds':30,'percent':40},'Offline':{'seconds':10,'percent':null}}";
        Assert.Equal("{'activities':" + activities + ",'loggedInSeconds':75}", Quoted(workerJson));
        Assert.Equal("{'activities':" + activities + ",'loggedInSeconds':75,'workers':[{'workerSid':'WK1','name':'Alex Example','activities':" + activities + ",'loggedInSeconds':75}]}", Quoted(teamJson));
    }

    [Fact]
    public void RollingWindow_ReportsMinuteAlignedStart_AndNowAsEnd()
    {
        var window = MetricWindow.Parse("15m").Resolve(TestEvents.Digi, T0 + 49_250).ToInfo();

        var json = JsonSerializer.Serialize(window, LifelineJson.Options);

        Assert.Equal("{'name':'15m','start':'2026-11-23T22:46:00Z','end':'2026-11-23T23:00:49.25Z','timeZone':'Australia/Sydney'}", Quoted(json));
    }
}
