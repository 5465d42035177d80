using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LifelineRealtime.Simulator.Generation;

/// <summary>
/// A discrete-event simulation of one TaskRouter workspace. Decisions are taken in simulated time
/// from scheduled actions; the events they cause go to an outbox ordered by (time, sequence) and are
/// only written out (Sid, versions, reported statuses, ground truth) when released in that order, so
/// per-resource fields always agree with the order a reader sees.
/// </summary>
internal sealed class PlatformSimulation
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Durations VoiceTalk = new((0.30, 60, 300), (0.45, 300, 900), (0.20, 900, 1800), (0.05, 1800, 3600));
    private static readonly Durations ChatTalk = new((0.20, 300, 900), (0.50, 900, 1800), (0.25, 1800, 3000), (0.05, 3000, 5400));
    private static readonly Durations Wrap = new((0.70, 15, 120), (0.30, 120, 300));
    private static readonly Durations StuckWrap = new((1.0, 1200, 3600));
    private static readonly Durations Patience = new((0.50, 60, 300), (0.35, 300, 900), (0.15, 900, 2400));

    private readonly SimulatorOptions _options;
    private readonly SimulatorPlatformOptions _platform;
    private readonly GroundTruth _truth;
    private readonly SimulatorRandom _random;
    private readonly SidFactory _sids;
    private readonly SidFactory _people;
    private readonly TimeZoneInfo _zone;
    private readonly bool _voice;
    private readonly long _startMs;
    private readonly long _endMs;
    private readonly long _reservationTimeoutMs;
    private readonly string _workspaceName;
    private readonly string _workflowSid;
    private readonly string _workflowName;
    private readonly string _channelSid;
    private readonly string _channelName;
    private readonly string _platformLine;
    private readonly Dictionary<string, QueueModel> _queues = new(StringComparer.Ordinal);
    private readonly string[] _types;
    private readonly double[] _typeWeights;
    private readonly ActivityModel _available;
    private readonly ActivityModel _unavailable;
    private readonly ActivityModel _break;
    private readonly ActivityModel _training;
    private readonly ActivityModel _offline;
    private readonly List<WorkerState> _workers = [];
    private readonly int[] _shiftStarts;
    private readonly List<TaskState> _waiting = [];
    private readonly PriorityQueue<Action, (long At, long Seq)> _actions = new();
    private readonly PriorityQueue<Func<SimulatedEvent>, (long At, long Seq)> _outbox = new();
    private long _seq;
    private long _now;
    private long _taskSeq;
    private int _customerSeq;

    public PlatformSimulation(SimulatorOptions options, SimulatorPlatformOptions platform, DateTimeOffset start, GroundTruth truth)
    {
        _options = options;
        _platform = platform;
        _truth = truth;
        _random = new SimulatorRandom(MixSeed(options.Seed, platform.Id));
        // Workers are the same people every run of a seed; everything a run creates (events, tasks,
        // reservations, calls) is named from the seed and the run's start, so a restart, which starts at a new
        // "now", sends events the journal has never seen instead of the first run's again.
        _people = new SidFactory($"{options.Seed}/{platform.WorkspaceSid}");
        _sids = new SidFactory($"{options.Seed}/{start.ToUnixTimeMilliseconds()}/{platform.WorkspaceSid}");
        var configSids = new SidFactory(platform.WorkspaceSid);
        _zone = FindZone(platform.TimeZone);
        _voice = string.Equals(platform.Channel, "voice", StringComparison.OrdinalIgnoreCase);
        _startMs = start.ToUnixTimeMilliseconds();
        _endMs = _startMs + (long)options.Duration.TotalMilliseconds;
        _now = _startMs;
        _reservationTimeoutMs = options.ReservationTimeoutSeconds * 1000L;
        _workspaceName = string.IsNullOrEmpty(platform.Name) ? platform.Id : platform.Name;
        var prefix = platform.Id.ToUpperInvariant();
        _workflowSid = configSids.Create("WW", "workflow");
        _workflowName = $"{prefix} routing";
        _channelSid = configSids.Create("TC", _voice ? "voice" : "chat");
        _channelName = _voice ? "voice" : "chat";
        _platformLine = "+612" + (_random.NextUInt64() % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        foreach (var type in platform.SupportTypes)
        {
            _queues[type] = new QueueModel(type, configSids.Create("WQ", type), $"{prefix} {type}", $"routing.skills HAS \"{type}\"");
        }

        _types = [.. platform.SupportTypes];
        _typeWeights = [.. _types.Select(t => options.SupportTypeWeights.TryGetValue(t, out var w) ? w : 0.1)];
        _available = new ActivityModel("Available", configSids.Create("WA", "Available"), true);
        _unavailable = new ActivityModel("Unavailable", configSids.Create("WA", "Unavailable"), false);
        _break = new ActivityModel("Break", configSids.Create("WA", "Break"), false);
        _training = new ActivityModel("Training", configSids.Create("WA", "Training"), false);
        _offline = new ActivityModel("Offline", configSids.Create("WA", "Offline"), false);
        _shiftStarts = Rota.StartHours(options.Workers);
    }

    /// <summary>Runs the simulation lazily: events come out in (time, sequence) order.</summary>
    public IEnumerable<SimulatedEvent> Run()
    {
        BuildRoster();
        ScheduleShifts();
        ScheduleNextArrival(_startMs);
        while (_actions.TryPeek(out _, out var next))
        {
            while (_outbox.TryPeek(out _, out var ready) && ready.At <= next.At)
            {
                yield return _outbox.Dequeue()();
            }

            var action = _actions.Dequeue();
            _now = next.At;
            action();
        }

        while (_outbox.TryDequeue(out var build, out _))
        {
            yield return build();
        }
    }

    private static ulong MixSeed(long seed, string platformId)
    {
        // FNV-1a of the id: a platform's stream does not depend on which other platforms exist.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(platformId))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        var x = (ulong)seed;
        return SimulatorRandom.SplitMix64(ref x) ^ hash;
    }

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private void Schedule(long at, Action action) => _actions.Enqueue(action, (Math.Max(at, _now), _seq++));

    private void Emit(long at, Func<SimulatedEvent> build) => _outbox.Enqueue(build, (Math.Max(at, _now), _seq++));

    private int LocalHour(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), _zone).Hour;

    // ---------------------------------------------------------------- roster and shifts

    private void BuildRoster()
    {
        var department = _voice ? ("CIS", "Voice") : ("DIG", "Digital");
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var teams = Math.Max(1, _options.Teams);
        for (var i = 0; i < _options.Workers; i++)
        {
            var given = Names.Given[_random.Next(Names.Given.Length)];
            var family = Names.Family[_random.Next(Names.Family.Length)];
            var fullName = $"{given} {family}";
            if (!usedNames.Add(fullName))
            {
                fullName = $"{given} {family} {i + 1}";
                usedNames.Add(fullName);
            }

            var email = $"{fullName.ToLowerInvariant().Replace(' ', '.')}@example.org";
            var team = i % teams;
            var teamName = team < 26 ? $"Team {(char)('A' + team)}" : $"Team {team + 1}";
            var manager = $"{Names.Given[(team * 7 + 3) % Names.Given.Length]} Supervisor";
            var skills = new List<string>();
            for (var t = 0; t < _types.Length; t++)
            {
                // "support" is everyone's; the rest spread so every type has workers on every shift pattern.
                if (_types[t] == "support" || (i + t) % 3 != 0)
                {
                    skills.Add(_types[t]);
                }
            }

            var roles = i % Math.Max(1, _options.Workers / teams) == 0 ? new[] { "agent", "supervisor", "wfo.team_leader" } : ["agent"];
            var attributes = Json(w =>
            {
                w.WriteString("contact_uri", "client:" + Names.FlexIdentity(email));
                w.WriteString("full_name", fullName);
                w.WriteString("email", email);
                w.WriteString("image_url", "");
                w.WriteStartArray("roles");
                foreach (var role in roles)
                {
                    w.WriteStringValue(role);
                }

                w.WriteEndArray();
                w.WriteString("team_id", $"T{team + 1:00}");
                w.WriteString("team_name", teamName);
                w.WriteString("team_name_in_hierarchy", $"Lifeline,{department.Item2},{teamName}");
                w.WriteString("department_id", department.Item1);
                w.WriteString("department_name", department.Item2);
                w.WriteString("location", Names.Locations[_random.Next(Names.Locations.Length)]);
                w.WriteString("manager", manager);
                w.WriteStartObject("routing");
                w.WriteStartArray("skills");
                foreach (var skill in skills)
                {
                    w.WriteStringValue(skill);
                }

                w.WriteEndArray();
                w.WriteStartObject("levels");
                foreach (var skill in skills)
                {
                    w.WriteNumber(skill, 1 + _random.Next(3));
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
            var since = _startMs - _random.Between(3_600_000, 12 * 3_600_000);
            var worker = new WorkerState
            {
                Index = i,
                Sid = _people.Create("WK", i.ToString(CultureInfo.InvariantCulture)),
                FriendlyName = email,
                FullName = fullName,
                AttributesJson = attributes,
                Skills = [.. skills],
                Capacity = _voice ? 1 : Math.Max(1, _options.ChatCapacity),
                Activity = _offline,
                ReleasedActivity = _offline,
                ReleasedSinceMs = since,
                Version = _random.Between(1, 100),
                IdleSinceMs = since,
            };
            _workers.Add(worker);
            _truth.AddWorker(new SimulatedWorker(_platform.Id, worker.Sid, email, fullName, teamName, skills));
        }
    }

    private void ScheduleShifts()
    {
        var firstDay = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(_startMs), _zone).Date.AddDays(-1);
        var lastDay = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(_endMs), _zone).Date;
        foreach (var worker in _workers)
        {
            var startHour = _shiftStarts[worker.Index];
            for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
            {
                var localStart = day.AddHours(startHour).AddMinutes(_random.Between(-15, 16));
                var shiftStart = new DateTimeOffset(localStart, _zone.GetUtcOffset(localStart)).ToUnixTimeMilliseconds();
                var shiftEnd = shiftStart + Rota.ShiftHours * 3_600_000L + _random.Between(-600_000, 600_001);
                if (shiftEnd <= _startMs || shiftStart >= _endMs)
                {
                    continue;
                }

                var login = shiftStart < _startMs ? _startMs + _random.Between(0, 120_000) : shiftStart;
                var limit = Math.Min(shiftEnd, _endMs);
                var w = worker;
                Schedule(login, () =>
                {
                    w.InShift = true;
                    RequestActivity(w, _available);
                });
                // Breaks are staggered over the middle of the shift, as a rota does, so a shift never breaks at once.
                ScheduleSpell(w, login, limit, shiftStart + _random.Between(150 * 60_000, 330 * 60_000), 1_800_000, _break);
                if (_random.Chance(0.3))
                {
                    ScheduleSpell(w, login, limit, shiftStart + _random.Between(60 * 60_000, 120 * 60_000), 2_700_000, _training);
                }

                if (_random.Chance(0.3))
                {
                    ScheduleSpell(w, login, limit, shiftStart + _random.Between(345 * 60_000, 420 * 60_000), 600_000 + _random.Between(0, 600_000), _unavailable);
                }

                if (shiftEnd < _endMs)
                {
                    Schedule(shiftEnd, () =>
                    {
                        w.InShift = false;
                        RequestActivity(w, _offline);
                    });
                }
            }
        }
    }

    private void ScheduleSpell(WorkerState worker, long login, long limit, long at, long lengthMs, ActivityModel activity)
    {
        if (at <= login || at + lengthMs >= limit)
        {
            return;
        }

        Schedule(at, () => RequestActivity(worker, activity));
        Schedule(at + lengthMs, () => RequestActivity(worker, _available));
    }

    private void RequestActivity(WorkerState worker, ActivityModel activity)
    {
        if (worker.Active > 0)
        {
            worker.Deferred = activity == worker.Activity ? null : activity;
            return;
        }

        worker.Deferred = null;
        ApplyActivity(worker, activity, _now);
    }

    private void ApplyActivity(WorkerState worker, ActivityModel activity, long at)
    {
        if (activity == worker.Activity)
        {
            return;
        }

        worker.Activity = activity;
        if (activity.Available)
        {
            worker.IdleSinceMs = at;
            Schedule(at + _random.Between(200, 1500), Route);
        }

        Emit(at, () =>
        {
            var previous = worker.ReleasedActivity;
            var inPreviousMs = at - worker.ReleasedSinceMs;
            worker.Version++;
            var f = Header("worker.activity.update", $"Worker {worker.Sid} updated to {activity.Name} Activity", "worker", worker.Sid, at);
            f.Add(new("WorkerSid", worker.Sid));
            f.Add(new("WorkerName", worker.FriendlyName));
            f.Add(new("WorkerAttributes", worker.AttributesJson));
            f.Add(new("WorkerActivitySid", activity.Sid));
            f.Add(new("WorkerActivityName", activity.Name));
            f.Add(new("WorkerVersion", Invariant(worker.Version)));
            f.Add(new("WorkerPreviousActivitySid", previous.Sid));
            f.Add(new("WorkerPreviousActivityName", previous.Name));
            f.Add(new("WorkerTimeInPreviousActivity", Invariant(inPreviousMs / 1000)));
            f.Add(new("WorkerTimeInPreviousActivityMs", Invariant(inPreviousMs)));
            _truth.ActivityChanged(_platform.Id, worker.Sid, previous.Name, worker.ReleasedSinceMs, activity.Name, at);
            worker.ReleasedActivity = activity;
            worker.ReleasedSinceMs = at;
            return Event(at, f);
        });
    }

    /// <summary>A reservation no longer holds the worker: apply a deferred activity and route again.</summary>
    private void Release(WorkerState worker)
    {
        worker.Active--;
        worker.IdleSinceMs = _now;
        if (worker.Active == 0 && worker.Deferred is { } deferred)
        {
            worker.Deferred = null;
            ApplyActivity(worker, deferred, _now);
        }

        Schedule(_now + _random.Between(300, 1500), Route);
    }

    // ---------------------------------------------------------------- arrivals and routing

    private void ScheduleNextArrival(long fromMs)
    {
        // One Bernoulli draw per simulated second approximates a Poisson process with a daily rhythm. Where the rate
        // passes one arrival a second (a national line's day of 100,000 tasks), that second brings its whole
        // arrivals and a draw for the fraction, so the day holds the tasks its rate asks for.
        var perSecond = _options.PeakArrivalsPerHour / 3600.0;
        var cachedMinute = long.MinValue;
        var rhythm = 0.0;
        for (var second = fromMs; second < _endMs; second += 1000)
        {
            if (second / 60_000 != cachedMinute)
            {
                cachedMinute = second / 60_000;
                rhythm = Rota.HourlyRhythm[LocalHour(second)];
            }

            var rate = perSecond * rhythm;
            var arrivals = rate <= 1 ? (_random.Chance(rate) ? 1 : 0) : (int)rate + (_random.Chance(rate - (int)rate) ? 1 : 0);
            if (arrivals > 0)
            {
                ScheduleArrivals(second, arrivals);
                return;
            }
        }
    }

    /// <summary>Tasks arriving within one simulated second; the last of them looks for the next arrival.</summary>
    private void ScheduleArrivals(long second, int arrivals)
    {
        var offsets = new long[arrivals];
        for (var i = 0; i < arrivals; i++)
        {
            offsets[i] = _random.Between(0, 1000);
        }

        Array.Sort(offsets);
        var next = second + 1000;
        for (var i = 0; i < arrivals; i++)
        {
            var at = Math.Min(second + offsets[i], _endMs - 1);
            var last = i == arrivals - 1;
            Schedule(at, () =>
            {
                CreateTask(PickSupportType(), null, null);
                if (last)
                {
                    ScheduleNextArrival(next);
                }
            });
        }
    }

    private string PickSupportType()
    {
        var pick = _random.NextDouble() * _typeWeights.Sum();
        for (var i = 0; i < _types.Length; i++)
        {
            if (pick < _typeWeights[i])
            {
                return _types[i];
            }

            pick -= _typeWeights[i];
        }

        return _types[^1];
    }

    private void Route()
    {
        foreach (var task in _waiting.OrderByDescending(t => t.Urgent).ThenBy(t => t.Seq).ToList())
        {
            if (!task.InQueue || task.Offer is not null || task.Status != "pending")
            {
                continue;
            }

            var worker = PickWorker(task.SupportType, task.Excluded);
            if (worker is not null)
            {
                Offer(task, worker);
            }
        }
    }

    private WorkerState? PickWorker(string supportType, HashSet<WorkerState> excluded)
    {
        WorkerState? best = null;
        foreach (var w in _workers)
        {
            if (!w.Activity.Available || w.Deferred is not null || w.Active >= w.Capacity || !w.Skills.Contains(supportType) || excluded.Contains(w))
            {
                continue;
            }

            if (best is null || (w.Active, w.IdleSinceMs, w.Index).CompareTo((best.Active, best.IdleSinceMs, best.Index)) < 0)
            {
                best = w;
            }
        }

        return best;
    }

    // ---------------------------------------------------------------- the task lifecycle

    private TaskState CreateTask(string supportType, TaskState? original, ReservationState? originalReservation)
    {
        var queue = _queues[supportType];
        var sid = _sids.Next("WT");
        var customer = original?.CustomerName ?? NextCustomerName();
        var attributes = _voice
            ? VoiceAttributes(supportType, customer)
            : ChatAttributes(supportType, customer, original, originalReservation);
        var at = _now;
        var task = new TaskState
        {
            Sid = sid,
            Seq = _taskSeq++,
            SupportType = supportType,
            Queue = queue,
            AttributesJson = attributes,
            CreatedMs = at,
            Urgent = supportType is "imminent" or "safety",
            CustomerName = customer,
            TransferDecided = original is not null,
            Expectation = new TaskExpectation
            {
                PlatformId = _platform.Id,
                TaskSid = sid,
                SupportType = supportType,
                TaskQueueSid = queue.Sid,
                TaskQueueName = queue.Name,
                CreatedMs = at,
                Outcome = TaskOutcome.Waiting,
                OriginalTaskSid = original?.Sid,
            },
        };
        EmitTask(task, at, "task.created", $"Task {sid} created", "pending", extra: null, onRelease: () =>
        {
            _truth.Count(_platform.Id, supportType, Measure.Offered, at);
            if (original is not null)
            {
                // A transfer by new task counts for the original task, when the new one is created.
                _truth.Count(_platform.Id, original.SupportType, Measure.Transferred, at);
                original.Expectation = original.Expectation with { Transferred = true, TransferKind = "CHAT" };
                _truth.SetTask(original.Expectation);
            }
        });
        Schedule(at + _random.Between(20, 300), () => EnterQueue(task));
        var patience = _random.Chance(_options.ShortAbandonProbability) ? _random.Between(1000, 9000) : Patience.NextMs(_random);
        Schedule(at + patience, () => Abandon(task));
        return task;
    }

    private void EnterQueue(TaskState task)
    {
        if (task.Status != "pending")
        {
            return;
        }

        task.InQueue = true;
        task.QueueEnteredMs = _now;
        _waiting.Add(task);
        EmitTask(task, _now, "task-queue.entered", $"Task {task.Sid} entered TaskQueue {task.Queue.Sid}", null, extra: null, onRelease: () => { });
        Schedule(_now + _random.Between(500, 3000), Route);
    }

    private void Offer(TaskState task, WorkerState worker)
    {
        var reservation = NewReservation(task, worker);
        task.Offer = reservation;
        task.Status = "reserved";
        var roll = _random.NextDouble();
        if (roll < _options.RejectProbability)
        {
            Schedule(_now + _random.Between(1500, 12_000), () => Reject(reservation));
        }
        else if (roll < _options.RejectProbability + _options.TimeoutProbability)
        {
            Schedule(_now + _reservationTimeoutMs, () => TimeOut(reservation));
        }
        else
        {
            Schedule(_now + _random.Between(2000, Math.Min(20_000, _reservationTimeoutMs - 1000)), () => Accept(reservation));
        }
    }

    private ReservationState NewReservation(TaskState task, WorkerState worker)
    {
        var reservation = new ReservationState { Sid = _sids.Next("WR"), Task = task, Worker = worker };
        worker.Active++;
        var at = _now;
        var status = task.Status == "pending" ? "reserved" : null;
        EmitReservation(reservation, at, "reservation.created", $"Reservation {reservation.Sid} created for Worker {worker.Sid}", status, bumpTask: true, onRelease: () =>
        {
            _truth.Count(_platform.Id, task.SupportType, Measure.Reservations, at);
            task.Expectation = task.Expectation with { Reservations = task.Expectation.Reservations + 1 };
        });
        return reservation;
    }

    private void Accept(ReservationState reservation)
    {
        if (reservation.Status != ReservationStatus.Pending)
        {
            return;
        }

        var task = reservation.Task;
        reservation.Status = ReservationStatus.Accepted;
        task.Offer = null;
        task.Status = "assigned";
        task.InQueue = false;
        _waiting.Remove(task);
        task.FirstAcceptedMs = _now;
        var at = _now;
        EmitReservation(reservation, at, "reservation.accepted", $"Reservation {reservation.Sid} accepted", "assigned", bumpTask: true, onRelease: () =>
        {
            _truth.Count(_platform.Id, task.SupportType, Measure.Handled, at);
            task.Expectation = task.Expectation with
            {
                WaitMs = at - task.CreatedMs,
                Outcome = TaskOutcome.Assigned,
                AcceptedReservationSid = reservation.Sid,
                WorkerSid = reservation.Worker.Sid,
            };
        });
        Schedule(at + (_voice ? VoiceTalk : ChatTalk).NextMs(_random), () => EndOfTalk(task, reservation));
    }

    private void Reject(ReservationState reservation)
    {
        if (reservation.Status != ReservationStatus.Pending)
        {
            return;
        }

        var task = reservation.Task;
        reservation.Status = ReservationStatus.Rejected;
        task.Offer = null;
        task.Status = "pending";
        task.Excluded.Add(reservation.Worker);
        var at = _now;
        EmitReservation(reservation, at, "reservation.rejected", $"Reservation {reservation.Sid} rejected", "pending", bumpTask: true, onRelease: () =>
            _truth.Count(_platform.Id, task.SupportType, Measure.Rejected, at));
        Release(reservation.Worker);
    }

    private void TimeOut(ReservationState reservation)
    {
        if (reservation.Status != ReservationStatus.Pending)
        {
            return;
        }

        var task = reservation.Task;
        var worker = reservation.Worker;
        reservation.Status = ReservationStatus.TimedOut;
        task.Offer = null;
        task.Status = "pending";
        task.Excluded.Add(worker);
        var at = _now;
        EmitReservation(reservation, at, "reservation.timeout", $"Reservation {reservation.Sid} timed out", "pending", bumpTask: true, onRelease: () =>
            _truth.Count(_platform.Id, task.SupportType, Measure.TimedOut, at));

        // RONA: TaskRouter moves the worker to the workspace's timeout activity right after.
        worker.Active--;
        worker.IdleSinceMs = at;
        worker.Deferred = null;
        ApplyActivity(worker, _offline, at + 20);
        if (worker.InShift)
        {
            Schedule(at + _random.Between(120_000, 600_000), () =>
            {
                if (worker.InShift)
                {
                    RequestActivity(worker, _available);
                }
            });
        }

        Schedule(at + _random.Between(300, 1500), Route);
    }

    private void Abandon(TaskState task)
    {
        if (task.Status is not ("pending" or "reserved"))
        {
            return;
        }

        var offer = task.Offer;
        task.Offer = null;
        task.Status = "canceled";
        task.InQueue = false;
        _waiting.Remove(task);
        var at = _now;
        var reason = _voice ? "Caller hung up" : "Customer left the chat";
        EmitTask(task, at, "task.canceled", $"Task {task.Sid} canceled", "canceled", extra: f => f.Add(new("TaskCanceledReason", reason)), onRelease: () =>
        {
            _truth.Count(_platform.Id, task.SupportType, Measure.Abandoned, at);
            task.Expectation = task.Expectation with { Outcome = TaskOutcome.Abandoned, AbandonedWaitMs = at - task.CreatedMs };
        });
        if (offer is not null)
        {
            offer.Status = ReservationStatus.Canceled;
            EmitReservation(offer, at + 5, "reservation.canceled", $"Reservation {offer.Sid} canceled", null, bumpTask: false, onRelease: () => { });
            Schedule(at + 5, () => Release(offer.Worker));
        }
    }

    private void EndOfTalk(TaskState task, ReservationState reservation)
    {
        if (!task.TransferDecided && _random.Chance(_options.TransferProbability))
        {
            task.TransferDecided = true;
            if (_voice ? TryNativeTransfer(task, reservation) : TryChatTransfer(task, reservation))
            {
                return;
            }
        }

        Finish(task, reservation);
    }

    private void Finish(TaskState task, ReservationState reservation)
    {
        var worker = reservation.Worker;
        var firstAccepted = task.FirstAcceptedMs!.Value;
        var at = _now;
        var completedReason = $"Task completed by {worker.FullName}";
        if (_random.Chance(_options.NoWrapUpProbability))
        {
            task.Status = "completed";
            reservation.Status = ReservationStatus.Completed;
            EmitTask(task, at, "task.completed", $"Task {task.Sid} completed", "completed", extra: f => f.Add(new("TaskCompletedReason", completedReason)), onRelease: () =>
                task.Expectation = task.Expectation with { Outcome = TaskOutcome.Completed, TalkMs = at - firstAccepted });
            EmitReservation(reservation, at + 50, "reservation.completed", $"Reservation {reservation.Sid} completed", null, bumpTask: false, onRelease: () => { });
            Schedule(at + 50, () => Release(worker));
            return;
        }

        var stuck = _random.Chance(_options.StuckProbability);
        var wrapMs = (stuck ? StuckWrap : Wrap).NextMs(_random);
        task.Status = "wrapping";
        reservation.Status = ReservationStatus.Wrapping;
        EmitTask(task, at, "task.wrapup", $"Task {task.Sid} wrapping up", "wrapping", extra: null, onRelease: () =>
            task.Expectation = task.Expectation with { Outcome = TaskOutcome.Wrapping, TalkMs = at - firstAccepted, Stuck = stuck });
        EmitReservation(reservation, at + 50, "reservation.wrapup", $"Reservation {reservation.Sid} wrapping up", null, bumpTask: false, onRelease: () => { });
        Schedule(at + wrapMs, () =>
        {
            var done = _now;
            task.Status = "completed";
            reservation.Status = ReservationStatus.Completed;
            EmitTask(task, done, "task.completed", $"Task {task.Sid} completed", "completed", extra: f => f.Add(new("TaskCompletedReason", completedReason)), onRelease: () =>
                task.Expectation = task.Expectation with { Outcome = TaskOutcome.Completed, WrapMs = done - at });
            EmitReservation(reservation, done + 50, "reservation.completed", $"Reservation {reservation.Sid} completed", null, bumpTask: false, onRelease: () => { });
            Schedule(done + 50, () => Release(worker));
        });
    }

    /// <summary>A Flex voice transfer: the task keeps its Sid and the target gets a new reservation on it.</summary>
    private bool TryNativeTransfer(TaskState task, ReservationState initiating)
    {
        var cold = _random.Chance(0.5);
        var targetType = cold && task.SupportType != "support" && _queues.ContainsKey("support") ? "support" : task.SupportType;
        var target = PickWorker(targetType, [initiating.Worker]);
        if (target is null)
        {
            return false;
        }

        var transferSid = _sids.Next("TT");
        var mode = cold ? "COLD" : "WARM";
        var to = cold ? _queues[targetType].Sid : target.Sid;
        var at = _now;
        EmitTransfer(task, at, "task.transfer-initiated", $"Transfer {transferSid} initiated for Task {task.Sid}", transferSid, mode, to, "initiated", initiating, onRelease: () =>
        {
            _truth.Count(_platform.Id, task.SupportType, Measure.Transferred, at);
            task.Expectation = task.Expectation with { Transferred = true, TransferKind = mode };
        });
        var offer = NewReservation(task, target);
        if (cold)
        {
            // After a cold transfer the initiating worker is out of the call and wraps up at once.
            Schedule(at + _random.Between(300, 1500), () => WrapTransferred(initiating));
        }

        Schedule(at + _random.Between(3000, 15_000), () =>
        {
            offer.Status = ReservationStatus.Accepted;
            var accepted = _now;
            EmitReservation(offer, accepted, "reservation.accepted", $"Reservation {offer.Sid} accepted", null, bumpTask: true, onRelease: () => { });
            EmitTransfer(task, accepted + 100, "task.transfer-completed", $"Transfer {transferSid} completed for Task {task.Sid}", transferSid, mode, to, "complete", initiating, onRelease: () => { });
            if (!cold)
            {
                // A warm transfer: the initiator stays on to introduce the caller, then wraps up.
                Schedule(accepted + _random.Between(30_000, 180_000), () => WrapTransferred(initiating));
            }

            Schedule(accepted + VoiceTalk.NextMs(_random), () => EndOfTalk(task, offer));
        });
        return true;
    }

    private void WrapTransferred(ReservationState reservation)
    {
        reservation.Status = ReservationStatus.Wrapping;
        EmitReservation(reservation, _now, "reservation.wrapup", $"Reservation {reservation.Sid} wrapping up", null, bumpTask: false, onRelease: () => { });
        Schedule(_now + Wrap.NextMs(_random), () =>
        {
            reservation.Status = ReservationStatus.Completed;
            EmitReservation(reservation, _now, "reservation.completed", $"Reservation {reservation.Sid} completed", null, bumpTask: false, onRelease: () => { });
            Release(reservation.Worker);
        });
    }

    /// <summary>The plugin way for chat: a new task carrying <c>transferMeta</c>; the original completes.</summary>
    private bool TryChatTransfer(TaskState task, ReservationState initiating)
    {
        var targetType = task.SupportType;
        if (_random.Chance(0.5))
        {
            targetType = _queues.ContainsKey("technical_support") && _random.Chance(0.3) ? "technical_support" : "support";
            if (!_queues.ContainsKey(targetType))
            {
                targetType = task.SupportType;
            }
        }

        var created = CreateTask(targetType, task, initiating);
        created.Excluded.Add(initiating.Worker);
        Schedule(_now + _random.Between(500, 3000), () => Finish(task, initiating));
        return true;
    }

    // ---------------------------------------------------------------- attributes

    private string NextCustomerName()
    {
        _customerSeq++;
        return $"{Names.Given[_random.Next(Names.Given.Length)]} {Names.Family[_random.Next(Names.Family.Length)]}";
    }

    private string VoiceAttributes(string supportType, string customer)
    {
        var from = "+614" + (_random.NextUInt64() % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        var callSid = _sids.Next("CA");
        var workerCallSid = _sids.Next("CA");
        var conferenceSid = _sids.Next("CF");
        return Json(w =>
        {
            w.WriteString("type", "inbound");
            w.WriteString("direction", "inbound");
            w.WriteString("channelType", "voice");
            w.WriteString("from", from);
            w.WriteString("to", _platformLine);
            w.WriteString("name", customer);
            w.WriteString("call_sid", callSid);
            w.WriteString("supportType", supportType);
            w.WriteString("platform", _platform.Id);
            w.WriteStartObject("conference");
            w.WriteString("sid", conferenceSid);
            w.WriteStartObject("participants");
            w.WriteString("customer", callSid);
            w.WriteString("worker", workerCallSid);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("customers");
            w.WriteString("name", customer);
            w.WriteString("phone", from);
            w.WriteEndObject();
            w.WriteStartObject("conversations");
            w.WriteString("conversation_id", callSid);
            w.WriteString("communication_channel", "Call");
            w.WriteString("direction", "Inbound");
            w.WriteString("external_contact", _platformLine);
            w.WriteString("conversation_label_1", "Support type");
            w.WriteString("conversation_attribute_1", supportType);
            w.WriteEndObject();
        });
    }

    private string ChatAttributes(string supportType, string customer, TaskState? original, ReservationState? originalReservation)
    {
        var conversationSid = original is null ? _sids.Next("CH") : ReadString(original.AttributesJson, "conversationSid");
        var interactionSid = original is null ? _sids.Next("KD") : ReadString(original.AttributesJson, "flexInteractionSid");
        var channelSid = _sids.Next("UO");
        var address = original is null
            ? $"{customer.ToLowerInvariant().Replace(' ', '-')}-web-{_random.NextUInt64() % 0x10000:x4}"
            : ReadString(original.AttributesJson, "customerAddress");
        var externalId = original is null ? $"cs-{_customerSeq:D6}" : ReadString(original.AttributesJson, "customers", "external_id");
        return Json(w =>
        {
            w.WriteString("channelType", "web");
            w.WriteString("direction", "inbound");
            w.WriteString("from", customer);
            w.WriteString("name", customer);
            w.WriteString("customerName", customer);
            w.WriteString("customerAddress", address);
            w.WriteString("conversationSid", conversationSid);
            w.WriteString("flexInteractionSid", interactionSid);
            w.WriteString("flexInteractionChannelSid", channelSid);
            w.WriteString("supportType", supportType);
            w.WriteString("platform", _platform.Id);
            if (original is not null && originalReservation is not null)
            {
                w.WriteString("transferTargetType", "queue");
                w.WriteStartObject("transferMeta");
                w.WriteString("mode", "COLD");
                w.WriteString("transferStatus", "transferring");
                w.WriteString("originalTask", original.Sid);
                w.WriteString("originalReservation", originalReservation.Sid);
                w.WriteEndObject();
            }

            w.WriteStartObject("customers");
            w.WriteString("name", customer);
            w.WriteString("external_id", externalId);
            w.WriteEndObject();
            w.WriteStartObject("conversations");
            w.WriteString("conversation_id", conversationSid);
            w.WriteString("communication_channel", "Chat");
            w.WriteString("direction", "Inbound");
            w.WriteString("conversation_label_1", "Support type");
            w.WriteString("conversation_attribute_1", supportType);
            w.WriteString("conversation_label_2", "Conversation SID");
            w.WriteString("conversation_attribute_2", conversationSid);
            w.WriteEndObject();
        });
    }

    private static string ReadString(string json, params string[] path)
    {
        using var document = JsonDocument.Parse(json);
        var element = document.RootElement;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.GetString() ?? "";
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // ---------------------------------------------------------------- event forms (field order as TaskRouter posts them)

    private void EmitTask(TaskState task, long at, string eventType, string description, string? newStatus, Action<List<KeyValuePair<string, string>>>? extra, Action onRelease) =>
        Emit(at, () =>
        {
            if (newStatus is not null)
            {
                task.ReleasedStatus = newStatus;
            }

            if (eventType == "task-queue.entered")
            {
                task.QueueReleased = true;
            }

            task.Version++;
            var f = Header(eventType, description, "task", task.Sid, at);
            TaskFields(f, task, at);
            extra?.Invoke(f);
            onRelease();
            _truth.SetTask(task.Expectation);
            return Event(at, f);
        });

    private void EmitReservation(ReservationState reservation, long at, string eventType, string description, string? newTaskStatus, bool bumpTask, Action onRelease) =>
        Emit(at, () =>
        {
            var task = reservation.Task;
            var worker = reservation.Worker;
            if (newTaskStatus is not null)
            {
                task.ReleasedStatus = newTaskStatus;
            }

            if (bumpTask)
            {
                task.Version++;
            }

            reservation.Version++;
            worker.Version++;
            var f = Header(eventType, description, "reservation", reservation.Sid, at);
            TaskFields(f, task, at);
            f.Add(new("WorkerSid", worker.Sid));
            f.Add(new("WorkerName", worker.FriendlyName));
            f.Add(new("WorkerAttributes", worker.AttributesJson));
            f.Add(new("WorkerActivitySid", worker.ReleasedActivity.Sid));
            f.Add(new("WorkerActivityName", worker.ReleasedActivity.Name));
            f.Add(new("WorkerVersion", Invariant(worker.Version)));
            f.Add(new("ReservationSid", reservation.Sid));
            f.Add(new("ReservationVersion", Invariant(reservation.Version)));
            onRelease();
            _truth.SetTask(task.Expectation);
            return Event(at, f);
        });

    private void EmitTransfer(TaskState task, long at, string eventType, string description, string transferSid, string mode, string to, string status, ReservationState initiating, Action onRelease) =>
        Emit(at, () =>
        {
            task.Version++;
            var f = Header(eventType, description, "transfer", transferSid, at);
            TaskFields(f, task, at);
            f.Add(new("TransferMode", mode));
            f.Add(new("TransferType", mode == "COLD" ? "QUEUE" : "WORKER"));
            f.Add(new("TransferTo", to));
            f.Add(new("TransferStatus", status));
            f.Add(new("TransferInitiatingReservationSid", initiating.Sid));
            f.Add(new("TransferInitiatingWorkerSid", initiating.Worker.Sid));
            onRelease();
            _truth.SetTask(task.Expectation);
            return Event(at, f);
        });

    private List<KeyValuePair<string, string>> Header(string eventType, string description, string resourceType, string resourceSid, long at) =>
    [
        new("AccountSid", _platform.AccountSid),
        new("WorkspaceSid", _platform.WorkspaceSid),
        new("WorkspaceName", _workspaceName),
        new("Sid", _sids.Next("EV")),
        new("EventType", eventType),
        new("EventDescription", description),
        new("ResourceType", resourceType),
        new("ResourceSid", resourceSid),
        new("Timestamp", Invariant(at / 1000)),
        new("TimestampMs", Invariant(at)),
    ];

    private void TaskFields(List<KeyValuePair<string, string>> f, TaskState task, long at)
    {
        f.Add(new("TaskSid", task.Sid));
        f.Add(new("TaskAttributes", task.AttributesJson));
        f.Add(new("TaskAge", Invariant((at - task.CreatedMs) / 1000)));
        f.Add(new("TaskPriority", "0"));
        f.Add(new("TaskAssignmentStatus", task.ReleasedStatus));
        f.Add(new("TaskVersion", Invariant(task.Version)));
        f.Add(new("TaskDateCreated", Invariant(task.CreatedMs / 1000)));
        f.Add(new("TaskChannelSid", _channelSid));
        f.Add(new("TaskChannelUniqueName", _channelName));
        if (task.QueueReleased)
        {
            f.Add(new("TaskQueueSid", task.Queue.Sid));
            f.Add(new("TaskQueueName", task.Queue.Name));
            f.Add(new("TaskQueueTargetExpression", task.Queue.TargetExpression));
            f.Add(new("TaskQueueEnteredDate", Invariant(task.QueueEnteredMs!.Value / 1000)));
        }

        f.Add(new("WorkflowSid", _workflowSid));
        f.Add(new("WorkflowName", _workflowName));
    }

    private SimulatedEvent Event(long at, List<KeyValuePair<string, string>> fields) => new(_platform.Id, at, FormBody.Encode(fields));

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
