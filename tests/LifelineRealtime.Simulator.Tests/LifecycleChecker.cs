using System.Text.RegularExpressions;

namespace LifelineRealtime.Simulator.Tests;

/// <summary>
/// Checks a TaskRouter event stream against the status tables of Twilio's documentation (task
/// <c>assignment_status</c> and reservation status, shared/twilio README §4), written from those
/// tables and not from the generator. Returns every violation found.
/// </summary>
internal static partial class LifecycleChecker
{
    // Task assignment_status: pending → reserved → assigned → wrapping → completed; canceled from
    // pending/reserved; a rejected or timed-out reservation returns the task to pending.
    private static readonly Dictionary<string, string[]> TaskMoves = new()
    {
        ["pending"] = ["pending", "reserved", "canceled"],
        ["reserved"] = ["reserved", "pending", "assigned", "canceled"],
        ["assigned"] = ["assigned", "wrapping", "completed"],
        ["wrapping"] = ["wrapping", "completed"],
        ["completed"] = ["completed"],
        ["canceled"] = ["canceled"],
    };

    // Reservation events: the statuses each may follow and the status it leaves.
    private static readonly Dictionary<string, (string[] From, string To)> ReservationMoves = new()
    {
        ["reservation.created"] = ([""], "pending"),
        ["reservation.accepted"] = (["pending"], "accepted"),
        ["reservation.rejected"] = (["pending"], "rejected"),
        ["reservation.timeout"] = (["pending"], "timeout"),
        ["reservation.canceled"] = (["pending"], "canceled"),
        ["reservation.rescinded"] = (["pending"], "rescinded"),
        ["reservation.wrapup"] = (["accepted"], "wrapping"),
        ["reservation.completed"] = (["accepted", "wrapping"], "completed"),
    };

    // The task status an event of a type must report (null: any legal move).
    private static readonly Dictionary<string, string[]> ReportedStatus = new()
    {
        ["task.created"] = ["pending"],
        ["task-queue.entered"] = ["pending"],
        ["task.canceled"] = ["canceled"],
        ["task.wrapup"] = ["wrapping"],
        ["task.completed"] = ["completed"],
        ["task.transfer-initiated"] = ["assigned"],
        ["reservation.accepted"] = ["assigned"],
        ["reservation.rejected"] = ["pending"],
        ["reservation.timeout"] = ["pending"],
    };

    private static readonly string[] TerminalReservation = ["rejected", "timeout", "canceled", "rescinded", "completed"];

    [GeneratedRegex("^[A-Z]{2}[0-9a-f]{32}$")]
    private static partial Regex SidPattern();

    public static List<string> Check(IEnumerable<SimulatedEvent> events, bool requireFinished = true)
    {
        var problems = new List<string>();
        var eventSids = new HashSet<string>(StringComparer.Ordinal);
        var taskStatus = new Dictionary<string, string>(StringComparer.Ordinal);
        var taskAccepted = new HashSet<string>(StringComparer.Ordinal);
        var taskTransferring = new HashSet<string>(StringComparer.Ordinal);
        var reservationStatus = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastTime = new Dictionary<string, long>(StringComparer.Ordinal);
        var lastVersion = new Dictionary<string, long>(StringComparer.Ordinal);
        var workerActivity = new Dictionary<string, (string Name, long Since)>(StringComparer.Ordinal);

        foreach (var e in events)
        {
            var f = e.Fields();
            var type = f["EventType"];
            var sid = f["Sid"];
            var at = long.Parse(f["TimestampMs"], System.Globalization.CultureInfo.InvariantCulture);
            var where = $"{type} {sid}";
            if (at != e.TimestampMs || long.Parse(f["Timestamp"], System.Globalization.CultureInfo.InvariantCulture) != at / 1000)
            {
                problems.Add($"{where}: Timestamp/TimestampMs disagree with the event time");
            }

            if (!eventSids.Add(sid))
            {
                problems.Add($"{where}: event Sid repeated");
            }

            foreach (var (name, value) in f)
            {
                if (name.EndsWith("Sid", StringComparison.Ordinal) && !SidPattern().IsMatch(value))
                {
                    problems.Add($"{where}: {name} is not a well-formed Sid");
                }
            }

            Ordered(e.PlatformId, at, where);
            if (f.TryGetValue("TaskSid", out var taskSid))
            {
                Ordered(taskSid, at, where);
                Versioned("task " + taskSid, long.Parse(f["TaskVersion"], System.Globalization.CultureInfo.InvariantCulture), strictly: false, where);
                CheckTask(taskSid, type, f["TaskAssignmentStatus"], where);
            }

            if (f.TryGetValue("ReservationSid", out var reservationSid))
            {
                Ordered(reservationSid, at, where);
                Versioned("reservation " + reservationSid, long.Parse(f["ReservationVersion"], System.Globalization.CultureInfo.InvariantCulture), strictly: true, where);
                CheckReservation(reservationSid, type, where);
            }

            if (f.TryGetValue("WorkerSid", out var workerSid))
            {
                Ordered(workerSid, at, where);
                Versioned("worker " + workerSid, long.Parse(f["WorkerVersion"], System.Globalization.CultureInfo.InvariantCulture), strictly: true, where);
                if (type == "worker.activity.update")
                {
                    CheckActivity(workerSid, f, at, where);
                }
            }
        }

        if (requireFinished)
        {
            problems.AddRange(taskStatus.Where(t => t.Value is not ("completed" or "canceled")).Select(t => $"task {t.Key} ended {t.Value}"));
            problems.AddRange(reservationStatus.Where(r => !TerminalReservation.Contains(r.Value)).Select(r => $"reservation {r.Key} ended {r.Value}"));
        }

        return problems;

        void Ordered(string key, long at, string where)
        {
            if (lastTime.TryGetValue(key, out var previous) && at < previous)
            {
                problems.Add($"{where}: time goes back for {key}");
            }

            lastTime[key] = at;
        }

        void Versioned(string key, long version, bool strictly, string where)
        {
            if (lastVersion.TryGetValue(key, out var previous) && (version < previous || (strictly && version == previous)))
            {
                problems.Add($"{where}: {key} version {version} after {previous}");
            }

            lastVersion[key] = version;
        }

        void CheckTask(string taskSid, string type, string reported, string where)
        {
            if (!taskStatus.TryGetValue(taskSid, out var current))
            {
                if (type != "task.created")
                {
                    problems.Add($"{where}: first event of the task is not task.created");
                }
                else if (reported != "pending")
                {
                    problems.Add($"{where}: a task is created pending");
                }

                taskStatus[taskSid] = reported;
                return;
            }

            if (type == "task.created")
            {
                problems.Add($"{where}: task created twice");
            }

            if (!TaskMoves[current].Contains(reported))
            {
                problems.Add($"{where}: task moves {current} → {reported}");
            }

            if (ReportedStatus.TryGetValue(type, out var expected) && !expected.Contains(reported) &&
                !(type == "reservation.accepted" && taskTransferring.Contains(taskSid)))
            {
                problems.Add($"{where}: reports {reported}, expected {string.Join("|", expected)}");
            }

            if (type == "reservation.created" && reported == "assigned" && !taskTransferring.Contains(taskSid))
            {
                problems.Add($"{where}: an offer on an assigned task without a transfer");
            }

            if (type == "reservation.accepted")
            {
                taskAccepted.Add(taskSid);
            }

            if (type == "task.transfer-initiated")
            {
                taskTransferring.Add(taskSid);
            }

            if (type == "task.canceled" && current is not ("pending" or "reserved"))
            {
                problems.Add($"{where}: canceled from {current}");
            }

            taskStatus[taskSid] = reported;
        }

        void CheckReservation(string reservationSid, string type, string where)
        {
            var current = reservationStatus.GetValueOrDefault(reservationSid, "");
            if (!ReservationMoves.TryGetValue(type, out var move))
            {
                problems.Add($"{where}: unexpected reservation event");
                return;
            }

            if (!move.From.Contains(current))
            {
                problems.Add($"{where}: reservation moves {(current == "" ? "(none)" : current)} → {move.To}");
            }

            reservationStatus[reservationSid] = move.To;
        }

        void CheckActivity(string workerSid, IReadOnlyDictionary<string, string> f, long at, string where)
        {
            var previousMs = long.Parse(f["WorkerTimeInPreviousActivityMs"], System.Globalization.CultureInfo.InvariantCulture);
            if (long.Parse(f["WorkerTimeInPreviousActivity"], System.Globalization.CultureInfo.InvariantCulture) != previousMs / 1000)
            {
                problems.Add($"{where}: WorkerTimeInPreviousActivity is not the truncated seconds of the ms field");
            }

            if (workerActivity.TryGetValue(workerSid, out var last))
            {
                if (f["WorkerPreviousActivityName"] != last.Name)
                {
                    problems.Add($"{where}: previous activity {f["WorkerPreviousActivityName"]} but the last update set {last.Name}");
                }

                if (previousMs != at - last.Since)
                {
                    problems.Add($"{where}: {previousMs} ms in the previous activity, the last update was {at - last.Since} ms ago");
                }
            }

            if (f["WorkerActivityName"] == f["WorkerPreviousActivityName"])
            {
                problems.Add($"{where}: activity update to the same activity");
            }

            workerActivity[workerSid] = (f["WorkerActivityName"], at);
        }
    }
}
