using CsCheck;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Tests;

/// <summary>
/// Legal TaskRouter histories built from generated integers: tasks with 0–3 failed offers then an
/// acceptance (with or without wrap-up, maybe a native or chat transfer) or a cancel, and workers changing
/// activity. Times spread over two local days so midnight is crossed.
/// </summary>
internal static class GeneratedHistory
{
    public const long Start = 1_795_474_800_000 - 36_000_000; // 2026-11-24 00:00 AEDT
    private static readonly string?[] Types = ["imminent", "safety", "support", "debrief", null];
    private static readonly string[] Activities = ["Available", "Break", "Meeting", "Offline"];

    /// <summary>Per task ten integers; per worker up to eight activity changes.</summary>
    public static Gen<(int[][] Tasks, int[][] Workers)> Gen =>
        CsCheck.Gen.Select(
            CsCheck.Gen.Int[0, int.MaxValue].Array[10].Array[1, 10],
            CsCheck.Gen.Int[0, int.MaxValue].Array[1, 8].Array[0, 4]);

    public static List<TaskRouterEvent> Build(int[][] tasks, int[][] workers)
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>();
        for (var t = 0; t < tasks.Length; t++)
        {
            var p = tasks[t];
            var sid = $"WT{t}";
            var created = Start + (p[0] % 172_800) * 1_000L;
            var type = Types[p[1] % Types.Length];
            var queue = $"WQ{p[2] % 3}";
            var queueName = $"DIGI q{p[2] % 3}";
            var final = p[3] % 5;
            var failedOffers = p[4] % 4;
            var waitMs = p[5] % 120_000;
            var talkMs = 1_000 + (p[6] % 3_000_000);
            var wrapMs = p[7] % 600_000;
            var originalTask = final == 4 && t > 0 ? $"WT{p[8] % t}" : null;

            events.Add(ev.Created(sid, created, type, originalTask));
            events.Add(ev.Task(TaskRouterEventType.TaskQueueEntered, sid, created + 1, queue, queueName));
            var time = created + 2;
            for (var r = 0; r < failedOffers; r++)
            {
                var worker = $"WK{(p[9] + r) % 6}";
                var team = Team(worker);
                events.Add(ev.Reservation(TaskRouterEventType.ReservationCreated, sid, $"WR{t}x{r}", worker, team, time, queue, queueName));
                var outcome = (p[9] >> r) % 2 == 0 ? TaskRouterEventType.ReservationRejected : TaskRouterEventType.ReservationTimeout;
                events.Add(ev.Reservation(outcome, sid, $"WR{t}x{r}", worker, team, time + 1_000 + r, queue, queueName));
                time += 2_000;
            }

            if (final == 2)
            {
                events.Add(ev.Task(TaskRouterEventType.TaskCanceled, sid, Math.Max(time, created + waitMs), queue, queueName));
                continue;
            }

            var acceptor = $"WK{p[9] % 6}";
            var reservation = $"WR{t}a";
            var accepted = Math.Max(time, created + waitMs);
            events.Add(ev.Reservation(TaskRouterEventType.ReservationCreated, sid, reservation, acceptor, Team(acceptor), accepted - 1, queue, queueName));
            events.Add(ev.Reservation(TaskRouterEventType.ReservationAccepted, sid, reservation, acceptor, Team(acceptor), accepted, queue, queueName));
            if (final == 3)
            {
                events.Add(ev.Transfer(sid, accepted + (talkMs / 2), reservation));
            }

            var wrapup = accepted + talkMs;
            if (final != 1)
            {
                events.Add(ev.Task(TaskRouterEventType.TaskWrapup, sid, wrapup, queue, queueName));
                events.Add(ev.Reservation(TaskRouterEventType.ReservationWrapup, sid, reservation, acceptor, Team(acceptor), wrapup + 1, queue, queueName));
            }

            var completed = wrapup + (final != 1 ? wrapMs + 2 : 0);
            events.Add(ev.Task(TaskRouterEventType.TaskCompleted, sid, completed, queue, queueName));
            events.Add(ev.Reservation(TaskRouterEventType.ReservationCompleted, sid, reservation, acceptor, Team(acceptor), completed + 1, queue, queueName));
        }

        for (var w = 0; w < workers.Length; w++)
        {
            var worker = $"WK{w}";
            var at = Start + (workers[w][0] % 86_400) * 1_000L;
            string? previous = null;
            foreach (var step in workers[w])
            {
                var activity = Activities[step % Activities.Length];
                var gap = 1_000L + (step % 20_000_000);
                events.Add(ev.Activity(worker, Team(worker), at, activity, previous, previous is null ? null : gap));
                previous = activity;
                at += gap;
            }
        }

        return events;
    }

    /// <summary>Worker 5 has no team attribute.</summary>
    private static string? Team(string worker) => worker == "WK5" ? null : $"Team {worker[^1] % 2}";

    /// <summary>Shuffles and duplicates events (a seed decides), as at-least-once delivery would.</summary>
    public static List<TaskRouterEvent> Scramble(List<TaskRouterEvent> events, int seed)
    {
        var random = new Random(seed);
        var scrambled = new List<TaskRouterEvent>(events);
        var duplicates = random.Next(events.Count + 1);
        for (var i = 0; i < duplicates; i++)
        {
            scrambled.Add(events[random.Next(events.Count)]);
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scrambled));
        return scrambled;
    }

    /// <summary>What live grains would do: one lifecycle or timeline per key, each event's delta booked as it arrives.</summary>
    public static FoldResult Live(List<TaskRouterEvent> events)
    {
        var settings = TestEvents.Digi;
        var result = new FoldResult(settings);
        var tasks = new Dictionary<string, TaskLifecycle>();
        var workers = new Dictionary<string, WorkerTimeline>();
        TaskLifecycle Task(string sid) => tasks.TryGetValue(sid, out var l) ? l : tasks[sid] = new TaskLifecycle(sid, settings);

        void Step(TaskLifecycle lifecycle, Func<TaskLifecycle, bool> apply)
        {
            var before = lifecycle.Contribution;
            var link = lifecycle.OutgoingTransfer;
            apply(lifecycle);
            result.Book(Contribution.Diff(before, lifecycle.Contribution));
            if (link is null && lifecycle.OutgoingTransfer is { } created)
            {
                // The second step of a chat transfer: the new task tells the original one.
                Step(Task(created.OriginalTaskSid), original => original.ApplyTransfer(created));
            }
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case TaskEvent { Task.Sid: var sid }:
                    Step(Task(sid), l => l.Apply(e));
                    break;
                case ReservationEvent { Task.Sid: var sid }:
                    Step(Task(sid), l => l.Apply(e));
                    break;
                case TransferEvent { Task.Sid: var sid }:
                    Step(Task(sid), l => l.Apply(e));
                    break;
                case WorkerEvent w:
                    var timeline = workers.TryGetValue(w.Worker.Sid, out var existing) ? existing : workers[w.Worker.Sid] = new WorkerTimeline(w.Worker.Sid, settings);
                    var before = timeline.Contribution;
                    timeline.Apply(e);
                    result.Book(TimelineContribution.Diff(before, timeline.Contribution));
                    break;
            }
        }

        return result;
    }

    /// <summary>Every scope's metrics and logged status as JSON, for every window the history touches.</summary>
    public static SortedDictionary<string, string> Render(FoldResult result, long nowMs)
    {
        var windows = new List<MetricWindow> { MetricWindow.FifteenMinutes, MetricWindow.OneHour, MetricWindow.Parse("week:2026-W48"), MetricWindow.Parse("range:2026-11-23..2026-11-28") };
        for (var day = 23; day <= 28; day++)
        {
            windows.Add(MetricWindow.Parse($"day:2026-11-{day}"));
        }

        var rendered = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, statistics) in result.Scopes)
        {
            foreach (var window in windows)
            {
                var resolved = window.Resolve(result.Settings, nowMs);
                rendered[$"{key}/{window.Name}/metrics"] = System.Text.Json.JsonSerializer.Serialize(statistics.Snapshot(resolved), Snapshots.LifelineJson.Options);
                rendered[$"{key}/{window.Name}/logged"] = System.Text.Json.JsonSerializer.Serialize(statistics.LoggedStatus(resolved).ToSnapshot(), Snapshots.LifelineJson.Options);
            }
        }

        return rendered;
    }
}
