using System.Diagnostics;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// The demo moves within seconds of every start: the restarted simulator continues its run, sending the events
/// that fell due while the host was down and then the rest in time (a restart used to re-send the first run's
/// Sids, which the journal rightly dropped as duplicates), so the tasks open at the kill go on and finish.
/// </summary>
public sealed partial class SimulatorRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostRestartedWithTheSimulator_JournalsNewEventsWithin5Seconds()
    {
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var settings = TestPlatforms.Settings(databasePath);
        settings["Lifeline:Simulator:Enabled"] = "true";
        // An hour of traffic a minute: the first run covers simulated time a restart would replay for as long.
        settings["Lifeline:Simulator:Speed"] = "60";
        // The receiver's per-request line is the signal that events were journaled, and how many were new.
        settings["Logging:LogLevel:LifelineRealtime.Host.Ingest.WebhookReceiver"] = "Debug";
        var arguments = TestPlatforms.Arguments(settings).ToList();
        try
        {
            using (var first = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), Ct))
            {
                await first.LineAsync(NewEventsJournaled()).WaitAsync(TimeSpan.FromSeconds(30), Ct);

                // Ten seconds of the first run: ten simulated minutes that a simulator re-sending the same Sids would
                // spend ten seconds re-sending after the restart, with nothing new journaled.
                await Task.Delay(TimeSpan.FromSeconds(10), Ct);
                first.Kill();
            }

            var beforeRestart = await JournalFile.ReadAllAsync(databasePath, Ct);

            using var restarted = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), Ct);
            var up = Stopwatch.StartNew();
            var line = await restarted.LineAsync(NewEventsJournaled()).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var firstNewEvents = up.Elapsed;

            // Measured from the moment the restarted host answers /healthz (its start is the runtime's, not the demo's).
            Assert.Matches(NewEventsJournaled(), line);
            Assert.True(firstNewEvents < TimeSpan.FromSeconds(5), $"the first new event was journaled {firstNewEvents} after the restarted host was up");

            // The first run's open tasks are the same run's tasks: they get their next events after the restart.
            var openAtKill = OpenTasks(beforeRestart);
            Assert.NotEmpty(openAtKill);
            var movedOn = 0;
            for (var wait = Stopwatch.StartNew(); movedOn == 0 && wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(500, Ct))
            {
                var after = await JournalFile.ReadAllAsync(databasePath, Ct);
                movedOn = after.Skip(beforeRestart.Count).Where(r => r.TaskSid is { } sid && openAtKill.Contains(sid)).Select(r => r.TaskSid).Distinct().Count();
            }

            Assert.True(movedOn > 0, $"none of the {openAtKill.Count} tasks open at the kill had an event after the restart");
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    private static HashSet<string> OpenTasks(IEnumerable<JournalRecord> records)
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r.TaskSid is not null))
        {
            if (r.EventType is "task.completed" or "task.canceled" or "task.deleted")
            {
                open.Remove(r.TaskSid!);
            }
            else if (r.EventType == "task.created")
            {
                open.Add(r.TaskSid!);
            }
        }

        return open;
    }

    [GeneratedRegex(@"Journaled [1-9][0-9]* new and [0-9]+ duplicate")]
    private static partial Regex NewEventsJournaled();
}
