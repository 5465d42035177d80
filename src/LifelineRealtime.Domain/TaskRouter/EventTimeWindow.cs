using System.Globalization;

namespace LifelineRealtime.Domain.TaskRouter;

/// <summary>Which time of an event lies outside the <see cref="EventTimeWindow"/>.</summary>
public enum EventTimeField
{
    /// <summary>The event's own time (<c>TimestampMs</c>, Event Streams <c>timestamp</c>).</summary>
    Timestamp,

    /// <summary>The task's creation time (<c>TaskDateCreated</c>).</summary>
    TaskDateCreated,

    /// <summary>The start of the interval a <c>worker.activity.update</c> closes
    /// (event time − <c>WorkerTimeInPreviousActivityMs</c>).</summary>
    TimeInPreviousActivity,
}

/// <summary>Why an event cannot be a real one: the time that is out of the window, and a message naming it.</summary>
public sealed record EventTimeViolation(EventTimeField Field, string Message);

/// <summary>
/// The span of event times a real TaskRouter event can carry: not before <see cref="NotBeforeMs"/> (TaskRouter
/// did not exist earlier) and not more than <see cref="MaxAhead"/> past the host's clock (Twilio's clock and ours
/// agree to seconds). One rule for every place that must agree: ingest answers 400 for an event outside it, and
/// the dispatcher sets aside a journaled record outside it instead of letting it reach the grains, where a time
/// in year 9999 cannot be turned into a local day and a time in 1970 would show a 57-year wait.
/// </summary>
public sealed record EventTimeWindow(long NotBeforeMs, TimeSpan MaxAhead)
{
    /// <summary>2010-01-01T00:00:00Z: before TaskRouter, so before any real event.</summary>
    public static readonly DateTimeOffset DefaultNotBefore = new(2010, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One hour: far more than any clock skew between Twilio and this host.</summary>
    public static readonly TimeSpan DefaultMaxAhead = TimeSpan.FromHours(1);

    public static readonly EventTimeWindow Default = new(DefaultNotBefore.ToUnixTimeMilliseconds(), DefaultMaxAhead);

    /// <summary>The first instant whose local day, minute and week every part of the engine can compute (1970-01-01Z).</summary>
    public const long ComputableFromMs = 0;

    /// <summary>The end (exclusive) of the computable instants: 2200-01-01Z, far past any event and clear of the
    /// year-9999 limit of the calendar types in every time zone.</summary>
    public const long ComputableUntilMs = 7_258_118_400_000;

    /// <summary>Throws when <paramref name="timeMs"/> is outside the computable instants, before anything uses it.</summary>
    public static void EnsureComputable(long timeMs)
    {
        if (timeMs < ComputableFromMs || timeMs >= ComputableUntilMs)
        {
            throw new ArgumentOutOfRangeException(nameof(timeMs), timeMs, "The time is outside 1970-01-01..2199-12-31 (UTC), where local days can be computed.");
        }
    }

    /// <summary>The first violation of the window by <paramref name="e"/> at host time <paramref name="nowMs"/>, or null.</summary>
    public EventTimeViolation? Check(TaskRouterEvent e, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(e);
        var latestMs = LatestMs(nowMs);
        if (Outside(e.TimestampMs, latestMs))
        {
            return Violation(EventTimeField.Timestamp, "event time", e.TimestampMs, nowMs);
        }

        var task = e.TaskOf();
        if (task?.DateCreatedMs is { } createdMs && Outside(createdMs, latestMs))
        {
            return Violation(EventTimeField.TaskDateCreated, "task creation time", createdMs, nowMs);
        }

        if (e is WorkerEvent { TimeInPreviousActivityMs: { } inPreviousMs } && inPreviousMs > 0 && e.TimestampMs - inPreviousMs < NotBeforeMs)
        {
            // The subtraction cannot overflow: the event time is inside the window, and the duration is positive.
            return new EventTimeViolation(
                EventTimeField.TimeInPreviousActivity,
                $"time in previous activity ({inPreviousMs} ms) starts the interval it closes outside the accepted window: before {Format(NotBeforeMs)}");
        }

        return null;
    }

    private long LatestMs(long nowMs) => nowMs > long.MaxValue - (long)MaxAhead.TotalMilliseconds
        ? long.MaxValue
        : nowMs + (long)MaxAhead.TotalMilliseconds;

    private bool Outside(long timeMs, long latestMs) => timeMs < NotBeforeMs || timeMs > latestMs;

    private EventTimeViolation Violation(EventTimeField field, string what, long timeMs, long nowMs) => new(
        field,
        $"{what} {Describe(timeMs)} is outside the accepted window: not before {Format(NotBeforeMs)} and at most {MaxAhead} ahead of this host's clock ({Format(nowMs)})");

    private static string Describe(long ms) =>
        ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? $"{ms} ms ({Format(ms)})"
            : $"{ms} ms";

    private static string Format(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
