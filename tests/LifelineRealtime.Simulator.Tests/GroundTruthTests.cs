using System.Globalization;
using System.Text.Json;

namespace LifelineRealtime.Simulator.Tests;

/// <summary>The ground truth against an independent recount from the emitted forms (design §5 rules).</summary>
public sealed class GroundTruthTests
{
    private static long Ms(IReadOnlyDictionary<string, string> f) => long.Parse(f["TimestampMs"], CultureInfo.InvariantCulture);

    private static string SupportType(IReadOnlyDictionary<string, string> f)
    {
        using var attributes = JsonDocument.Parse(f["TaskAttributes"]);
        return attributes.RootElement.GetProperty("supportType").GetString()!;
    }

    /// <summary>Each measure with the time of the event that completes it, read from the forms.</summary>
    private static List<(string Platform, string SupportType, Measure Measure, long At)> Recount(IEnumerable<SimulatedEvent> events)
    {
        var facts = new List<(string, string, Measure, long)>();
        var accepted = new HashSet<string>();
        var transferred = new HashSet<string>();
        var typeOfTask = new Dictionary<string, string>();
        foreach (var e in events)
        {
            var f = e.Fields();
            var type = f["EventType"];
            if (!f.TryGetValue("TaskSid", out var task))
            {
                continue;
            }

            var supportType = SupportType(f);
            typeOfTask[task] = supportType;
            switch (type)
            {
                case "task.created":
                    facts.Add((e.PlatformId, supportType, Measure.Offered, Ms(f)));
                    using (var attributes = JsonDocument.Parse(f["TaskAttributes"]))
                    {
                        if (attributes.RootElement.TryGetProperty("transferMeta", out var meta))
                        {
                            var original = meta.GetProperty("originalTask").GetString()!;
                            if (transferred.Add(original))
                            {
                                facts.Add((e.PlatformId, typeOfTask[original], Measure.Transferred, Ms(f)));
                            }
                        }
                    }

                    break;
                case "reservation.accepted" when accepted.Add(task):
                    facts.Add((e.PlatformId, supportType, Measure.Handled, Ms(f)));
                    break;
                case "task.canceled" when !accepted.Contains(task):
                    facts.Add((e.PlatformId, supportType, Measure.Abandoned, Ms(f)));
                    break;
                case "reservation.created":
                    facts.Add((e.PlatformId, supportType, Measure.Reservations, Ms(f)));
                    break;
                case "reservation.rejected":
                    facts.Add((e.PlatformId, supportType, Measure.Rejected, Ms(f)));
                    break;
                case "reservation.timeout":
                    facts.Add((e.PlatformId, supportType, Measure.TimedOut, Ms(f)));
                    break;
                case "task.transfer-initiated" when transferred.Add(task):
                    facts.Add((e.PlatformId, supportType, Measure.Transferred, Ms(f)));
                    break;
            }
        }

        return facts;
    }

    public static TheoryData<int, int> Periods => new()
    {
        { 0, 24 * 60 },
        { 0, 6 * 60 },
        { 6 * 60, 12 * 60 },
        { 17 * 60 + 13, 17 * 60 + 28 },
        { 23 * 60, 26 * 60 },
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void Counts_ForAPeriod_EqualARecountOfTheForms(int fromMinute, int toMinute)
    {
        var (events, truth) = SimulatedDays.Day();
        var from = SimulatedDays.Start.AddMinutes(fromMinute);
        var to = SimulatedDays.Start.AddMinutes(toMinute);
        var facts = Recount(events);

        foreach (var platform in new[] { "ciss", "digi" })
        {
            var counts = truth.Counts(platform, from, to);
            foreach (var (supportType, actual) in counts)
            {
                long N(Measure m) => facts.Count(x => x.Platform == platform && x.SupportType == supportType && x.Measure == m
                                                       && x.At >= from.ToUnixTimeMilliseconds() && x.At < to.ToUnixTimeMilliseconds());
                var expected = new MeasureCounts(N(Measure.Offered), N(Measure.Handled), N(Measure.Abandoned), N(Measure.Reservations),
                    N(Measure.Rejected), N(Measure.TimedOut), N(Measure.Transferred));
                Assert.Equal(expected, actual);
            }

            Assert.Equal(facts.Where(x => x.Platform == platform).Select(x => x.SupportType).ToHashSet(), counts.Keys.ToHashSet());
        }
    }

    [Fact]
    public void Counts_WholeDay_AddUpAcrossTasks()
    {
        var (_, truth) = SimulatedDays.Day();
        var counts = truth.Counts("ciss", SimulatedDays.Start, SimulatedDays.Start.AddDays(2));
        var tasks = truth.Tasks.Where(t => t.PlatformId == "ciss").ToList();

        Assert.Equal(tasks.Count, counts.Values.Sum(c => c.Offered));
        Assert.Equal(tasks.Count(t => t.WaitMs is not null), counts.Values.Sum(c => c.Handled));
        Assert.Equal(tasks.Count(t => t.Outcome == TaskOutcome.Abandoned), counts.Values.Sum(c => c.Abandoned));
        Assert.Equal(tasks.Sum(t => t.Reservations), counts.Values.Sum(c => c.Reservations));
        Assert.Equal(tasks.Count(t => t.Transferred), counts.Values.Sum(c => c.Transferred));
        Assert.Equal(counts.Values.Sum(c => c.Offered), counts.Values.Sum(c => c.Handled + c.Abandoned));
    }

    [Fact]
    public void TaskExpectations_Durations_EqualTheEventTimes()
    {
        var (events, truth) = SimulatedDays.Day();
        var byTask = events.Select(e => e.Fields()).Where(f => f.ContainsKey("TaskSid")).GroupBy(f => f["TaskSid"]).ToDictionary(g => g.Key, g => g.ToList());

        foreach (var task in truth.Tasks)
        {
            var fs = byTask[task.TaskSid];
            long? At(string type) => fs.FirstOrDefault(f => f["EventType"] == type) is { } f ? Ms(f) : null;
            var created = At("task.created")!.Value;
            var accepted = At("reservation.accepted");
            var wrapup = At("task.wrapup");
            var completed = At("task.completed");
            Assert.Equal(created, task.CreatedMs);
            Assert.Equal(accepted - created, task.WaitMs);
            Assert.Equal(task.Outcome == TaskOutcome.Abandoned ? At("task.canceled") - created : null, task.AbandonedWaitMs);
            Assert.Equal(accepted is null ? null : (wrapup ?? completed) - accepted, task.TalkMs);
            Assert.Equal(wrapup is null ? null : completed - wrapup, task.WrapMs);
            Assert.Equal(fs.Count(f => f["EventType"] == "reservation.created"), task.Reservations);
            Assert.Equal(task.TaskQueueSid, fs.First(f => f["EventType"] == "task-queue.entered")["TaskQueueSid"]);
        }
    }

    [Fact]
    public void ActivityMilliseconds_SplitAtPeriodBounds_EqualTheUpdates()
    {
        var (events, truth) = SimulatedDays.Day();
        var updates = events.Where(e => e.Form.Contains("EventType=worker.activity.update", StringComparison.Ordinal)).Select(e => e.Fields()).ToList();
        var from = SimulatedDays.Start.AddHours(9);
        var to = SimulatedDays.Start.AddHours(15);
        var (f0, t0) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var checkedWorkers = 0;

        foreach (var worker in truth.Workers)
        {
            var mine = updates.Where(u => u["WorkerSid"] == worker.WorkerSid).ToList();
            var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
            void Add(string activity, long start, long end)
            {
                var (s, e) = (Math.Max(start, f0), Math.Min(end, t0));
                if (e > s)
                {
                    expected[activity] = expected.GetValueOrDefault(activity) + (e - s);
                }
            }

            foreach (var u in mine)
            {
                Add(u["WorkerPreviousActivityName"], Ms(u) - long.Parse(u["WorkerTimeInPreviousActivityMs"], CultureInfo.InvariantCulture), Ms(u));
            }

            if (mine.Count > 0)
            {
                Add(mine[^1]["WorkerActivityName"], Ms(mine[^1]), t0);
                checkedWorkers++;
            }

            Assert.Equal(expected, truth.ActivityMilliseconds(worker.PlatformId, worker.WorkerSid, from, to));
        }

        Assert.Equal(48, truth.Workers.Count);
        Assert.True(checkedWorkers >= 40);
    }
}
