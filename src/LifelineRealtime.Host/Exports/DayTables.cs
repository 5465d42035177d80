using System.Text.Json;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Storage.Conversations;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Host.Exports;

/// <summary>
/// The rows of one platform's local day, every table, computed with the domain's own fold (<see cref="OfflineFold"/>):
/// the conversation records, reservation timings, activity timelines and daily statistics the grains hold, never a
/// metric of its own. The fold sees the day and a margin either side (a task created the evening before, an activity
/// closed the morning after), so its numbers are the grains' for every task and interval within the margin.
/// Rows are sorted, so the same journal gives the same files.
/// </summary>
public sealed class DayTables
{
    public required IReadOnlyList<ConversationRow> Conversations { get; init; }

    public required IReadOnlyList<ReservationRow> Reservations { get; init; }

    public required IReadOnlyList<ActivityRow> WorkerActivity { get; init; }

    public required IReadOnlyList<MetricRow> DailyMetrics { get; init; }

    public required IReadOnlyList<EventRow> Events { get; init; }

    /// <summary>
    /// Starts a day: the journal's records are then given one at a time (<see cref="DayTablesBuilder.Add"/>) and
    /// let go, so memory holds the day's lifecycles and rows, never its payloads.
    /// </summary>
    /// <param name="settings">The platform.</param>
    /// <param name="day">The local day exported.</param>
    public static DayTablesBuilder Begin(PlatformSettings settings, DateOnly day) => new(settings, day);

    /// <param name="settings">The platform.</param>
    /// <param name="day">The local day exported.</param>
    /// <param name="fold">The fold of the platform's journal records the export sees: the day and its margins, up to one watermark.</param>
    /// <param name="events">The day's rows of the events table, in journal order.</param>
    /// <param name="lastEventMs">The latest event time folded (null when none): an interval still open ends there.</param>
    /// <param name="pseudonym">A crisis supporter's pseudonym from the platform and identity (CustomerPseudonyms).</param>
    /// <param name="includeNames">The full-access export: CS and ISS names in their columns.</param>
    internal static DayTables Build(
        PlatformSettings settings, DateOnly day, FoldResult fold, IReadOnlyList<EventRow> events, long? lastEventMs,
        Func<string, string?, string?> pseudonym, bool includeNames)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(fold);
        ArgumentNullException.ThrowIfNull(pseudonym);
        var startMs = settings.LocalDayStartMs(day);
        var endMs = settings.LocalDayStartMs(day.AddDays(1));
        var asOfMs = lastEventMs is { } last ? Math.Min(endMs, last) : endMs;
        bool InDay(long ms) => ms >= startMs && ms < endMs;

        var conversations = new List<ConversationRow>();
        var reservations = new List<ReservationRow>();
        foreach (var lifecycle in fold.Tasks.Values)
        {
            var c = lifecycle.Conversation;
            if (c.CreatedMs is { } created && InDay(created))
            {
                conversations.Add(Conversation(c, day, created, pseudonym, includeNames));
            }

            var timings = lifecycle.ReservationTimings.ToDictionary(t => t.ReservationSid, StringComparer.Ordinal);
            foreach (var r in c.Reservations)
            {
                if ((r.CreatedMs ?? r.AcceptedMs ?? r.EndedMs ?? c.CreatedMs) is { } at && InDay(at))
                {
                    var t = timings[r.ReservationSid];
                    reservations.Add(new ReservationRow(
                        c.Platform, day, r.ReservationSid, c.TaskSid, c.TaskQueueSid, c.SupportType,
                        r.WorkerSid, includeNames ? r.WorkerName : null, r.Team, JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Outcome.ToString()),
                        At(r.CreatedMs), At(r.AcceptedMs), At(r.EndedMs),
                        Seconds(t.WaitMs), Seconds(t.TalkMs), Seconds(t.WrapMs), Seconds(t.HandleMs)));
                }
            }
        }

        var activity = new List<ActivityRow>();
        foreach (var timeline in fold.Workers.Values)
        {
            var contribution = timeline.Contribution;
            foreach (var interval in contribution.Intervals)
            {
                AddActivity(interval.WorkerSid, interval.Team, interval.Activity, interval.StartMs, interval.EndMs, open: false);
            }

            if (contribution.Open is { } open)
            {
                AddActivity(open.WorkerSid, open.Team, open.Activity, open.StartMs, asOfMs, open: true);
            }
        }

        void AddActivity(string worker, string team, string name, long fromMs, long toMs, bool open)
        {
            var from = Math.Max(fromMs, startMs);
            var to = Math.Min(toMs, endMs);
            if (to > from)
            {
                activity.Add(new ActivityRow(settings.Id, day, worker, team, name, !settings.IsOffline(name), At(from), At(to), (to - from) / 1000.0, open));
            }
        }

        var window = MetricWindow.Parse($"day:{day:yyyy-MM-dd}").Resolve(settings, asOfMs);
        var metrics = new List<MetricRow>();
        fold.Scope(ScopeKey.Platform(settings.Id));
        foreach (var (key, statistics) in fold.Scopes.OrderBy(s => s.Key))
        {
            var snapshot = statistics.Snapshot(window);
            if (key.Kind != ScopeKind.Platform && !snapshot.Totals.HasTraffic)
            {
                continue;
            }

            MetricRow Row(string supportType, Domain.Snapshots.MetricValues values) =>
                new(settings.Id, day, snapshot.Scope, snapshot.Id, supportType, At(startMs), At(endMs), settings.TimeZoneName, values);
            metrics.Add(Row("total", snapshot.Totals));
            metrics.AddRange(snapshot.BySupportType.Select(t => Row(t.Key, t.Value)));
        }

        return new DayTables
        {
            Conversations = [.. conversations.OrderBy(r => r.CreatedAt).ThenBy(r => r.TaskSid, StringComparer.Ordinal)],
            Reservations = [.. reservations.OrderBy(r => r.CreatedAt ?? DateTime.MaxValue).ThenBy(r => r.ReservationSid, StringComparer.Ordinal)],
            WorkerActivity = [.. activity.OrderBy(r => r.WorkerSid, StringComparer.Ordinal).ThenBy(r => r.StartAt).ThenBy(r => r.Activity, StringComparer.Ordinal).ThenBy(r => r.Team, StringComparer.Ordinal)],
            DailyMetrics = metrics,
            Events = events,
        };
    }

    /// <summary>Rows in a table.</summary>
    public int Count(string table) => table switch
    {
        ExportTables.Conversations => Conversations.Count,
        ExportTables.Reservations => Reservations.Count,
        ExportTables.WorkerActivity => WorkerActivity.Count,
        ExportTables.DailyMetrics => DailyMetrics.Count,
        ExportTables.Events => Events.Count,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown export table"),
    };

    private static ConversationRow Conversation(ConversationRecord c, DateOnly day, long createdMs, Func<string, string?, string?> pseudonym, bool includeNames) => new(
        c.Platform, day, c.TaskSid, c.TaskQueueSid, c.TaskQueueName, c.SupportType, c.Channel,
        pseudonym(c.Platform, c.CustomerIdentity ?? c.CustomerName), includeNames ? c.CustomerName : null,
        c.ConversationSid, c.CallSid, c.ConferenceSid,
        c.WorkerSid, includeNames ? c.WorkerName : null, c.Team,
        c.TransferredToWorkerSids.IsDefaultOrEmpty ? null : string.Join(',', c.TransferredToWorkerSids),
        c.Reservations.Length,
        At(createdMs), At(c.AcceptedMs), At(c.WrapupMs), At(c.CompletedMs), At(c.CanceledMs),
        Seconds(c.WaitMs), Seconds(c.TalkMs), Seconds(c.WrapMs), Seconds(c.HandleMs),
        SqliteConversationStore.OutcomeName(c.Outcome));

    internal static EventRow Event(JournalRecord r, DateOnly day)
    {
        var e = r.Event;
        var task = e.TaskOf();
        var worker = e switch
        {
            WorkerEvent w => w.Worker,
            ReservationEvent { Worker: { } rw } => rw,
            _ => null,
        };
        var activityUpdate = e as WorkerEvent;
        var transfer = e as TransferEvent;
        return new EventRow(
            r.PlatformId, day, r.Sequence, r.EventSid, r.EventType, At(r.EventTimeMs), At(r.ArrivedMs), r.Format.StoredName(),
            e.ResourceType, r.TaskSid ?? task?.Sid, (e as ReservationEvent)?.ReservationSid, r.WorkerSid ?? worker?.Sid,
            task?.TaskQueueSid ?? (e as TaskQueueEvent)?.TaskQueueSid, task?.TaskQueueName ?? (e as TaskQueueEvent)?.TaskQueueName,
            task?.WorkflowSid, task?.TaskChannelUniqueName, task?.AssignmentStatus, task?.Age, task?.Priority,
            worker?.ActivityName, activityUpdate?.PreviousActivityName, Seconds(activityUpdate?.TimeInPreviousActivityMs),
            transfer?.TransferMode, transfer?.TransferType, transfer?.TransferTo, transfer?.TransferInitiatingReservationSid,
            r.Unreadable is not null);
    }

    private static DateTime At(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    private static DateTime? At(long? ms) => ms is { } v ? At(v) : null;

    private static double? Seconds(long? ms) => ms / 1000.0;
}

/// <summary>
/// One day's tables from the journal's records given one at a time: each record is folded and, when in the day, its
/// events row kept; the record itself (its payload) is let go. The fold is finished once, whatever the variants built.
/// </summary>
public sealed class DayTablesBuilder
{
    private readonly PlatformSettings _settings;
    private readonly DateOnly _day;
    private readonly long _startMs;
    private readonly long _endMs;
    private readonly StreamingFold _fold;
    private readonly List<EventRow> _events = [];
    private long? _lastEventMs;
    private bool _sorted;

    internal DayTablesBuilder(PlatformSettings settings, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _day = day;
        _startMs = settings.LocalDayStartMs(day);
        _endMs = settings.LocalDayStartMs(day.AddDays(1));
        _fold = new StreamingFold(settings);
    }

    /// <summary>Records given so far.</summary>
    public long Records { get; private set; }

    /// <summary>Folds one record of the day or its margins (any order).</summary>
    public void Add(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_sorted)
        {
            throw new InvalidOperationException("the day's tables are built; it takes no more records");
        }

        Records++;
        _lastEventMs = Math.Max(_lastEventMs ?? long.MinValue, record.EventTimeMs);
        if (record.Unreadable is null)
        {
            _fold.Add(record.Event);
        }

        if (record.EventTimeMs >= _startMs && record.EventTimeMs < _endMs)
        {
            _events.Add(DayTables.Event(record, _day));
        }
    }

    /// <summary>The day's tables: pseudonyms only, or with names for the full-access export.</summary>
    public DayTables Build(Func<string, string?, string?> pseudonym, bool includeNames)
    {
        if (!_sorted)
        {
            _events.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            _sorted = true;
        }

        return DayTables.Build(_settings, _day, _fold.Finish(), _events, _lastEventMs, pseudonym, includeNames);
    }
}
