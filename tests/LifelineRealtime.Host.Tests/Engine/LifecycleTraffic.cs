using System.Globalization;
using System.Text.Json;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// Whole DIGI task lifecycles as callback fields (created, queue entered, offers rejected or timed out or
/// accepted, wrap-up, completion, or abandonment) plus worker activity changes, from a seed. Each event
/// is a complete, well-formed TaskRouter callback the host must accept and measure.
/// </summary>
internal static class LifecycleTraffic
{
    private const long Start = 1_795_474_800_000; // 2026-11-24 10:00:00 AEDT
    private static readonly string[] SupportTypes = ["imminent", "safety", "support", "check_in", "debrief"];
    private static readonly string[] Teams = ["Team A", "Team B", "Team C"];

    /// <summary>Events of <paramref name="tasks"/> tasks, each task's events in their natural order.</summary>
    public static List<List<Dictionary<string, string>>> Tasks(int tasks, int seed, string salt)
    {
        var random = new Random(seed);
        var result = new List<List<Dictionary<string, string>>>(tasks);
        var eventNumber = 0;
        string Sid(string prefix, int n) => prefix + salt + n.ToString("x28", CultureInfo.InvariantCulture);

        for (var t = 0; t < tasks; t++)
        {
            var events = new List<Dictionary<string, string>>();
            var created = Start + (t * 7_000L);
            var supportType = SupportTypes[random.Next(SupportTypes.Length)];
            var queue = Sid("WQ", Array.IndexOf(SupportTypes, supportType));
            var taskSid = Sid("WT", t);
            var attributes = JsonSerializer.Serialize(new { supportType, name = "Synthetic Caller", conversationSid = Sid("CH", t) });
            Dictionary<string, string> Task(string type, long time, bool withQueue = true)
            {
                var fields = Common(type, time, Sid("EV", ++eventNumber), "task", taskSid);
                fields["TaskSid"] = taskSid;
                fields["TaskAttributes"] = attributes;
                if (withQueue)
                {
                    fields["TaskQueueSid"] = queue;
                    fields["TaskQueueName"] = "DIGI " + supportType;
                }

                return fields;
            }

            Dictionary<string, string> Reservation(string type, long time, int reservation, int worker)
            {
                var fields = Task(type, time);
                fields["ResourceType"] = "reservation";
                fields["ReservationSid"] = Sid("WR", (t * 10) + reservation);
                fields["ResourceSid"] = fields["ReservationSid"];
                fields["WorkerSid"] = Sid("WK", worker);
                fields["WorkerName"] = $"worker{worker}@example.org";
                fields["WorkerAttributes"] = JsonSerializer.Serialize(new { full_name = $"Worker {worker}", team_name = Teams[worker % Teams.Length] });
                return fields;
            }

            events.Add(Task("task.created", created, withQueue: false));
            events.Add(Task("task-queue.entered", created + 10));
            var time = created + 1_000;
            var abandoned = random.Next(6) == 0;
            var offers = random.Next(1, 4);
            for (var r = 0; r < offers; r++)
            {
                var worker = random.Next(12);
                time += random.Next(500, 5_000);
                events.Add(Reservation("reservation.created", time, r, worker));
                time += random.Next(1_000, 20_000);
                var last = r == offers - 1;
                if (last && !abandoned)
                {
                    events.Add(Reservation("reservation.accepted", time, r, worker));
                    time += random.Next(30_000, 600_000);
                    var wrapup = random.Next(4) != 0;
                    if (wrapup)
                    {
                        events.Add(Task("task.wrapup", time));
                        events.Add(Reservation("reservation.wrapup", time + 5, r, worker));
                        time += random.Next(5_000, 120_000);
                    }

                    events.Add(Task("task.completed", time));
                    events.Add(Reservation("reservation.completed", time + 5, r, worker));
                }
                else
                {
                    events.Add(Reservation(random.Next(2) == 0 ? "reservation.rejected" : "reservation.timeout", time, r, worker));
                }
            }

            if (abandoned)
            {
                events.Add(Task("task.canceled", time + random.Next(1_000, 60_000)));
            }

            result.Add(events);
        }

        return result;
    }

    /// <summary>Activity changes of the 12 workers: each closes the previous activity's interval.</summary>
    public static List<Dictionary<string, string>> Activities(int changesPerWorker, int seed, string salt)
    {
        var random = new Random(seed);
        string[] activities = ["Available", "Unavailable", "Break", "Offline"];
        var result = new List<Dictionary<string, string>>();
        var eventNumber = 1_000_000;
        for (var worker = 0; worker < 12; worker++)
        {
            var workerSid = "WK" + salt + worker.ToString("x28", CultureInfo.InvariantCulture);
            var time = Start;
            var previous = "Offline";
            for (var c = 0; c < changesPerWorker; c++)
            {
                var spent = random.Next(60_000, 1_800_000);
                time += spent;
                var next = activities[random.Next(activities.Length)];
                var fields = Common("worker.activity.update", time, "EV" + salt + (++eventNumber).ToString("x28", CultureInfo.InvariantCulture), "worker", workerSid);
                fields["WorkerSid"] = workerSid;
                fields["WorkerName"] = $"worker{worker}@example.org";
                fields["WorkerAttributes"] = JsonSerializer.Serialize(new { full_name = $"Worker {worker}", team_name = Teams[worker % Teams.Length] });
                fields["WorkerActivityName"] = next;
                fields["WorkerPreviousActivityName"] = previous;
                fields["WorkerTimeInPreviousActivityMs"] = spent.ToString(CultureInfo.InvariantCulture);
                result.Add(fields);
                previous = next;
            }
        }

        return result;
    }

    private static Dictionary<string, string> Common(string type, long timeMs, string sid, string resourceType, string resourceSid) => new(StringComparer.Ordinal)
    {
        ["Sid"] = sid,
        ["EventType"] = type,
        ["AccountSid"] = TestPlatforms.DigiAccount,
        ["WorkspaceSid"] = TestPlatforms.DigiWorkspace,
        ["WorkspaceName"] = "DIGI Central",
        ["ResourceType"] = resourceType,
        ["ResourceSid"] = resourceSid,
        ["Timestamp"] = (timeMs / 1000).ToString(CultureInfo.InvariantCulture),
        ["TimestampMs"] = timeMs.ToString(CultureInfo.InvariantCulture),
    };
}
