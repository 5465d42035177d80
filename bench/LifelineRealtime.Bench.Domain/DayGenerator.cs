using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Bench.Domain;

/// <summary>
/// A realistic day of one platform in memory: workers changing activity through the day and tasks with
/// one to four reservations (rejects and timeouts before an acceptance, or an abandon), wrap-up on most,
/// an occasional native transfer. Seeded, so every run folds the same events.
/// </summary>
internal static class DayGenerator
{
    private static readonly string[] Types = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
    private static readonly string[] ActivityNames = ["Available", "Break", "Meeting", "Lunch", "Offline"];

    public static List<TaskRouterEvent> Generate(PlatformSettings settings, int workers, int tasks, int activityChangesPerWorker, int seed)
    {
        var random = new Random(seed);
        var events = new List<TaskRouterEvent>((tasks * 11) + (workers * activityChangesPerWorker));
        var day = settings.LocalDayStartMs(new DateOnly(2026, 11, 24));
        var account = "AC" + new string('0', 32);
        var workspace = "WS" + new string('0', 32);
        var next = 0L;
        string Sid() => $"EV{settings.Id}{++next:x30}";

        var workerSids = new string[workers];
        var workerAttributes = new TaskRouterAttributes[workers];
        for (var w = 0; w < workers; w++)
        {
            workerSids[w] = $"WK{settings.Id}{w:x30}";
            workerAttributes[w] = TaskRouterAttributes.Parse($"{{\"team_name\":\"Team {w % 12}\",\"full_name\":\"Worker {w}\"}}");
        }

        var typeAttributes = Types.Select(t => TaskRouterAttributes.Parse($"{{\"supportType\":\"{t}\",\"channelType\":\"web\"}}")).ToArray();

        for (var t = 0; t < tasks; t++)
        {
            var taskSid = $"WT{settings.Id}{t:x30}";
            var type = random.Next(Types.Length);
            var queueSid = $"WQ{settings.Id}{type:x30}";
            var queueName = $"{settings.Id} {Types[type]}";
            var attributes = typeAttributes[type];
            var created = day + (long)(random.NextDouble() * 86_000_000);
            var version = 0L;
            TaskInfo Info(bool withQueue) => new()
            {
                Sid = taskSid,
                Attributes = attributes,
                TaskQueueSid = withQueue ? queueSid : null,
                TaskQueueName = withQueue ? queueName : null,
                Version = version++,
            };
            TaskEvent TaskEvent(TaskRouterEventType type, long at, bool withQueue = true) => new()
            {
                Sid = Sid(),
                EventType = type.ToString(),
                Type = type,
                AccountSid = account,
                WorkspaceSid = workspace,
                TimestampMs = at,
                Task = Info(withQueue),
            };
            ReservationEvent Reservation(TaskRouterEventType type, string reservationSid, int worker, long at) => new()
            {
                Sid = Sid(),
                EventType = type.ToString(),
                Type = type,
                AccountSid = account,
                WorkspaceSid = workspace,
                TimestampMs = at,
                Task = Info(true),
                ReservationSid = reservationSid,
                Worker = new WorkerInfo { Sid = workerSids[worker], Attributes = workerAttributes[worker] },
            };

            events.Add(TaskEvent(TaskRouterEventType.TaskCreated, created, withQueue: false));
            events.Add(TaskEvent(TaskRouterEventType.TaskQueueEntered, created + 50));
            var at = created + 1_000 + random.Next(60_000);
            var reservations = 1 + random.Next(4);
            var abandoned = random.Next(10) == 0;
            for (var r = 0; r < reservations; r++)
            {
                var worker = random.Next(workers);
                var reservationSid = $"WR{settings.Id}{t:x26}{r:x4}";
                events.Add(Reservation(TaskRouterEventType.ReservationCreated, reservationSid, worker, at));
                if (r < reservations - 1 || abandoned)
                {
                    var outcome = random.Next(2) == 0 ? TaskRouterEventType.ReservationRejected : TaskRouterEventType.ReservationTimeout;
                    at += 2_000 + random.Next(30_000);
                    events.Add(Reservation(abandoned && r == reservations - 1 ? TaskRouterEventType.ReservationCanceled : outcome, reservationSid, worker, at));
                    continue;
                }

                at += 2_000 + random.Next(10_000);
                events.Add(Reservation(TaskRouterEventType.ReservationAccepted, reservationSid, worker, at));
                var talk = 60_000 + random.Next(3_000_000);
                if (random.Next(20) == 0)
                {
                    events.Add(new TransferEvent
                    {
                        Sid = Sid(),
                        EventType = "task.transfer-initiated",
                        Type = TaskRouterEventType.TaskTransferInitiated,
                        AccountSid = account,
                        WorkspaceSid = workspace,
                        TimestampMs = at + (talk / 2),
                        Task = Info(true),
                        TransferInitiatingReservationSid = reservationSid,
                        TransferMode = "COLD",
                    });
                }

                at += talk;
                events.Add(TaskEvent(TaskRouterEventType.TaskWrapup, at));
                events.Add(Reservation(TaskRouterEventType.ReservationWrapup, reservationSid, worker, at + 20));
                at += 10_000 + random.Next(300_000);
                events.Add(TaskEvent(TaskRouterEventType.TaskCompleted, at));
                events.Add(Reservation(TaskRouterEventType.ReservationCompleted, reservationSid, worker, at + 20));
            }

            if (abandoned)
            {
                events.Add(TaskEvent(TaskRouterEventType.TaskCanceled, at + 1_000));
            }
        }

        for (var w = 0; w < workers; w++)
        {
            var at = day + random.Next(3_600_000);
            string? previous = null;
            for (var c = 0; c < activityChangesPerWorker; c++)
            {
                var activity = ActivityNames[random.Next(ActivityNames.Length)];
                var gap = 60_000L + random.Next(3_000_000);
                events.Add(new WorkerEvent
                {
                    Sid = Sid(),
                    EventType = "worker.activity.update",
                    Type = TaskRouterEventType.WorkerActivityUpdate,
                    AccountSid = account,
                    WorkspaceSid = workspace,
                    TimestampMs = at,
                    Worker = new WorkerInfo { Sid = workerSids[w], ActivityName = activity, Attributes = workerAttributes[w] },
                    PreviousActivityName = previous,
                    TimeInPreviousActivityMs = previous is null ? null : gap,
                });
                previous = activity;
                at += gap;
            }
        }

        // Arrival order is not event order: shuffle, as reordering delivery would.
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events));
        return events;
    }
}
