namespace LifelineRealtime.Domain.Backfill;

/// <summary>
/// One platform's webhook arrivals while the engine is up, as the windows in which nothing arrived for at least
/// <see cref="GapRules.QuietGap"/>. TaskRouter sends an event whenever anything happens in a workspace, so a long
/// silence on a staffed line usually means callbacks were lost; re-reading the window proves it either way. A window
/// is handed out once (<see cref="Take"/>); the next starts where the last check ended. Thread-safe: webhooks
/// arrive concurrently with a run.
/// </summary>
public sealed class QuietWindows
{
    private readonly object _gate = new();
    private readonly long _quietMs;
    private readonly List<(long FromMs, long ToMs)> _closed = [];
    private long _lastArrivalMs;
    private long _checkedMs;

    /// <param name="quietGap">The shortest silence that is re-read.</param>
    /// <param name="upSinceMs">When the engine started watching (nothing before it is this tracker's business).</param>
    public QuietWindows(TimeSpan quietGap, long upSinceMs)
    {
        if (quietGap <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(quietGap), quietGap, "The quiet gap must be positive.");
        }

        _quietMs = (long)quietGap.TotalMilliseconds;
        _lastArrivalMs = upSinceMs;
        _checkedMs = upSinceMs;
    }

    /// <summary>Until when arrivals have been checked: windows before it were handed out already.</summary>
    public long CheckedMs
    {
        get
        {
            lock (_gate)
            {
                return _checkedMs;
            }
        }
    }

    /// <summary>A webhook for the platform was journaled at <paramref name="arrivedMs"/>.</summary>
    public void Arrived(long arrivedMs)
    {
        lock (_gate)
        {
            if (arrivedMs <= _lastArrivalMs)
            {
                return;
            }

            if (arrivedMs - _lastArrivalMs >= _quietMs)
            {
                // The silence since the last arrival; the part before the last check was already re-read.
                var from = Math.Max(_lastArrivalMs, _checkedMs);
                if (arrivedMs > from)
                {
                    _closed.Add((from, arrivedMs));
                }
            }

            _lastArrivalMs = arrivedMs;
        }
    }

    /// <summary>
    /// The windows to re-read at <paramref name="nowMs"/>: those an arrival closed since the last call, and the
    /// silence still open now when it is already long enough. Each is handed out once.
    /// </summary>
    public IReadOnlyList<(long FromMs, long ToMs)> Take(long nowMs)
    {
        lock (_gate)
        {
            var windows = new List<(long FromMs, long ToMs)>(_closed);
            _closed.Clear();
            if (nowMs - _lastArrivalMs >= _quietMs)
            {
                var from = Math.Max(_lastArrivalMs, _checkedMs);
                if (nowMs > from)
                {
                    windows.Add((from, nowMs));
                }
            }

            _checkedMs = Math.Max(_checkedMs, nowMs);
            return windows;
        }
    }

    /// <summary>Hands windows back (their fill could not start), to be taken again at the next run.</summary>
    public void Return(IEnumerable<(long FromMs, long ToMs)> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        lock (_gate)
        {
            _closed.AddRange(windows);
        }
    }
}
