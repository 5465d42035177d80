namespace LifelineRealtime.Simulator;

/// <summary>Task-side and reservation-side counts for one platform and support type over a period.</summary>
public readonly record struct MeasureCounts(
    long Offered,
    long Handled,
    long Abandoned,
    long Reservations,
    long Rejected,
    long TimedOut,
    long Transferred);

/// <summary>The counted measures, each booked at the time of the event that completes it (design §5).</summary>
public enum Measure
{
    Offered,
    Handled,
    Abandoned,
    Reservations,
    Rejected,
    TimedOut,
    Transferred,
}

/// <summary>How a simulated task ended (or where it stands when the stream stops).</summary>
public enum TaskOutcome
{
    Waiting,
    Assigned,
    Wrapping,
    Completed,
    Abandoned,
}

/// <summary>What the simulator decided for one task: its Sids, queue, durations and outcome.</summary>
public sealed record TaskExpectation
{
    public required string PlatformId { get; init; }

    public required string TaskSid { get; init; }

    public required string SupportType { get; init; }

    public required string TaskQueueSid { get; init; }

    public required string TaskQueueName { get; init; }

    public required long CreatedMs { get; init; }

    /// <summary>Creation to first acceptance; null when never accepted.</summary>
    public long? WaitMs { get; init; }

    /// <summary>Creation to cancel, for abandoned tasks.</summary>
    public long? AbandonedWaitMs { get; init; }

    /// <summary>First acceptance to <c>task.wrapup</c> (or <c>task.completed</c> without wrap-up).</summary>
    public long? TalkMs { get; init; }

    /// <summary><c>task.wrapup</c> to <c>task.completed</c>; null without wrap-up.</summary>
    public long? WrapMs { get; init; }

    public TaskOutcome Outcome { get; init; }

    /// <summary>The first accepted reservation and its worker.</summary>
    public string? AcceptedReservationSid { get; init; }

    public string? WorkerSid { get; init; }

    public int Reservations { get; init; }

    public bool Transferred { get; init; }

    /// <summary><c>WARM</c>/<c>COLD</c> native transfer, or <c>CHAT</c> for a transfer by new task.</summary>
    public string? TransferKind { get; init; }

    /// <summary>For a task created by a chat transfer: the original task.</summary>
    public string? OriginalTaskSid { get; init; }

    /// <summary>Wrap-up left running far past the usual.</summary>
    public bool Stuck { get; init; }
}

/// <summary>One simulated worker as the roster made it.</summary>
public sealed record SimulatedWorker(string PlatformId, string WorkerSid, string FriendlyName, string FullName, string TeamName, IReadOnlyList<string> Skills);

/// <summary>
/// The simulator's own answer, recorded from its decisions as each event is emitted (never by
/// re-reading the forms): counts per platform and support type for any period, milliseconds per
/// worker and activity, and the per-task expectations.
/// </summary>
public sealed class GroundTruth
{
    private readonly List<(string Platform, string SupportType, Measure Measure, long AtMs)> _facts = [];
    private readonly Dictionary<(string Platform, string WorkerSid), List<ActivitySpan>> _activity = [];
    private readonly Dictionary<(string Platform, string TaskSid), TaskExpectation> _tasks = [];
    private readonly List<(string Platform, string TaskSid)> _taskOrder = [];
    private readonly List<SimulatedWorker> _workers = [];

    private readonly record struct ActivitySpan(string Activity, long StartMs, long? EndMs);

    public IReadOnlyList<SimulatedWorker> Workers => _workers;

    /// <summary>Every task in creation order.</summary>
    public IReadOnlyList<TaskExpectation> Tasks => [.. _taskOrder.Select(k => _tasks[k])];

    public TaskExpectation Task(string platformId, string taskSid) => _tasks[(platformId, taskSid)];

    /// <summary>Counts for [from, to) per support type (every type with a fact in the whole run appears).</summary>
    public IReadOnlyDictionary<string, MeasureCounts> Counts(string platformId, DateTimeOffset from, DateTimeOffset to)
    {
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var totals = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (platform, supportType, measure, atMs) in _facts)
        {
            if (platform != platformId)
            {
                continue;
            }

            if (!totals.TryGetValue(supportType, out var row))
            {
                row = new long[7];
                totals[supportType] = row;
            }

            if (atMs >= fromMs && atMs < toMs)
            {
                row[(int)measure]++;
            }
        }

        return totals.ToDictionary(
            kv => kv.Key,
            kv => new MeasureCounts(kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3], kv.Value[4], kv.Value[5], kv.Value[6]),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Milliseconds the worker spent in each activity within [from, to), intervals split at the
    /// bounds. Each interval is the one TaskRouter reports (<c>WorkerTimeInPreviousActivityMs</c>
    /// before the update that closes it); the activity still open at the end of the stream counts
    /// up to <paramref name="to"/>. A worker with no emitted activity update has no entry.
    /// </summary>
    public IReadOnlyDictionary<string, long> ActivityMilliseconds(string platformId, string workerSid, DateTimeOffset from, DateTimeOffset to)
    {
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (!_activity.TryGetValue((platformId, workerSid), out var spans))
        {
            return result;
        }

        foreach (var span in spans)
        {
            var start = Math.Max(span.StartMs, fromMs);
            var end = Math.Min(span.EndMs ?? toMs, toMs);
            if (end > start)
            {
                result[span.Activity] = result.GetValueOrDefault(span.Activity) + (end - start);
            }
        }

        return result;
    }

    internal void AddWorker(SimulatedWorker worker) => _workers.Add(worker);

    internal void Count(string platformId, string supportType, Measure measure, long atMs) =>
        _facts.Add((platformId, supportType, measure, atMs));

    internal void ActivityChanged(string platformId, string workerSid, string previous, long previousStartMs, string next, long atMs)
    {
        if (!_activity.TryGetValue((platformId, workerSid), out var spans))
        {
            spans = [];
            _activity[(platformId, workerSid)] = spans;
        }

        if (spans.Count > 0)
        {
            spans[^1] = spans[^1] with { EndMs = atMs };
        }
        else
        {
            spans.Add(new ActivitySpan(previous, previousStartMs, atMs));
        }

        spans.Add(new ActivitySpan(next, atMs, null));
    }

    internal void SetTask(TaskExpectation expectation)
    {
        var key = (expectation.PlatformId, expectation.TaskSid);
        if (!_tasks.ContainsKey(key))
        {
            _taskOrder.Add(key);
        }

        _tasks[key] = expectation;
    }
}
