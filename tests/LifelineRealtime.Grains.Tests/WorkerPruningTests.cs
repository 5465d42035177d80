using System.Globalization;
using System.Net;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Grains.Tests;

/// <summary>A worker grain lets go of events older than two days at flush; the numbers they booked stay.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class WorkerPruningTests(PipelineClusterFixture fixture)
{
    private const string Window = "range:2026-11-20..2026-11-24";

    [Fact]
    public async Task Flush_PrunesOldEvents_BookedNumbersStayAndLaterEventsStillApply()
    {
        var salt = Guid.NewGuid().ToString("N")[..4];
        var worker = Fixtures.Sid("WK000000000000000000000000000b1a6e", salt);
        var now = PipelineClusterFixture.Now.ToUnixTimeMilliseconds();
        var first = Changes(salt, worker, now - (3 * 86_400_000L), count: 12, number: 0);

        // Ingesting, then going idle, makes the dispatcher flush every touched grain: the worker prunes.
        await fixture.IngestAsync(first);
        await fixture.IngestAsync(Changes(salt, worker, now - 60_000, count: 1, number: 100));
        var later = Changes(salt, worker, now - 30_000, count: 1, number: 200);
        await fixture.IngestAsync(later);

        var settings = fixture.Platforms.Get("digi");
        var all = first.Concat(Changes(salt, worker, now - 60_000, count: 1, number: 100)).Concat(later).Select(e => e.Event);
        var fold = OfflineFold.Run(settings, all).Scope(ScopeKey.Worker(worker));
        var expected = fold.LoggedStatus(MetricWindow.Parse(Window).Resolve(settings, now));
        var grain = fixture.Cluster.GrainFactory.GetGrain<IStatsGrain>(new StatsKey("digi", ScopeKind.Worker, worker).ToGrainKey());

        var actual = await grain.GetLoggedStatusAsync(Window);

        Assert.Equal(expected.Activities, actual.Activities);
        Assert.Equal(expected.LoggedInSeconds, actual.LoggedInSeconds);
        Assert.True(actual.LoggedInSeconds > 3_600, "three days of activity should be booked");
    }

    /// <summary>Activity changes every 6 hours from <paramref name="startMs"/>, built from fixture 04.</summary>
    private static List<JournalEntry> Changes(string salt, string worker, long startMs, int count, int number)
    {
        var template = TaskRouterEventParser.DecodeForm(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio", "04-worker.activity.update.form")).Trim());
        string[] activities = ["Available", "Break", "Available", "Offline"];
        var entries = new List<JournalEntry>();
        for (var i = 0; i < count; i++)
        {
            var fields = new Dictionary<string, string>(template, StringComparer.Ordinal);
            var time = startMs + (i * 6 * 3_600_000L);
            fields["Sid"] = "EV" + salt + (number + i).ToString("x28", CultureInfo.InvariantCulture);
            fields["WorkerSid"] = worker;
            fields["ResourceSid"] = worker;
            fields["TimestampMs"] = time.ToString(CultureInfo.InvariantCulture);
            fields["Timestamp"] = (time / 1000).ToString(CultureInfo.InvariantCulture);
            fields["WorkerActivityName"] = activities[(number + i + 1) % activities.Length];
            fields["WorkerPreviousActivityName"] = activities[(number + i) % activities.Length];
            fields["WorkerTimeInPreviousActivityMs"] = "3600000";
            var body = string.Join('&', fields.Select(f => WebUtility.UrlEncode(f.Key) + "=" + WebUtility.UrlEncode(f.Value)));
            entries.Add(new JournalEntry("digi", TaskRouterEventParser.ParseFormBody(body).Event!, JournalWireFormat.Form, body));
        }

        return entries;
    }
}
