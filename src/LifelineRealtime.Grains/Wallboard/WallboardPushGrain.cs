using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Abstractions.Wallboard;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Grains.Stats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Grains.Wallboard;

/// <summary>
/// Batches and throttles the wallboard pushes of one scope. The dispatcher never calls it: it looks at its
/// stats grain once a second (a grain timer) and only while some silo subscribes, so a burst of events costs
/// one comparison per second, and a scope nobody watches costs nothing. Whether a push is due is decided by
/// the injected <see cref="TimeProvider"/>, so the one-push-per-second bound holds whatever drives the timer.
/// </summary>
public sealed partial class WallboardPushGrain(
    PlatformCatalog platforms,
    IOptions<LiveOptions> liveOptions,
    TimeProvider time,
    ILogger<WallboardPushGrain> logger) : Grain, IWallboardPushGrain
{
    /// <summary>Pushes of one scope and window are at least this far apart.</summary>
    public static readonly TimeSpan PushInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RoundSlack = TimeSpan.FromMilliseconds(20);

    /// <summary>A silo's subscription lapses unless renewed within this time (it renews every third of it).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(90);

    private readonly Dictionary<IWallboardObserver, Subscriber> _subscribers = [];
    private readonly Dictionary<string, WindowPush> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Alert> _raised = new(StringComparer.Ordinal);
    private StatsKey _key;
    private string _grainKey = "";
    private PlatformSettings _settings = null!;
    private IStatsGrain _stats = null!;
    private IGrainTimer? _timer;
    private (Guid Epoch, long Version) _seen;
    private LiveSnapshot? _live;
    private (Guid Epoch, long Version) _liveVersion;
    private long _lastRoundMs;
    private long _lastMinute = long.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _grainKey = this.GetPrimaryKeyString();
        _key = StatsKey.Parse(_grainKey);
        _settings = platforms.Get(_key.PlatformId);
        _stats = GrainFactory.GetGrain<IStatsGrain>(_grainKey);
        return Task.CompletedTask;
    }

    public async Task<WallboardSubscription> SubscribeAsync(IWallboardObserver observer, string window)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentException.ThrowIfNullOrEmpty(window);
        var push = await AddAsync(observer, window);

        // A new subscriber gets the scope as it is now; pushes after this turn carry a higher revision.
        var metrics = await _stats.GetMetricsAsync(window);
        var live = await CurrentLiveAsync();
        return new WallboardSubscription(metrics, push.Revision, live, [.. _raised.Values.OrderBy(a => a.At).ThenBy(a => a.TaskSid, StringComparer.Ordinal).Take(MaxListed)]);
    }

    public Task UnsubscribeAsync(IWallboardObserver observer, string window)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (_subscribers.TryGetValue(observer, out var subscriber) && subscriber.Windows.Remove(window) && subscriber.Windows.Count == 0)
        {
            _subscribers.Remove(observer);
        }

        ReleaseUnwatched();
        return Task.CompletedTask;
    }

    public async Task RenewAsync(IWallboardObserver observer, ImmutableArray<string> windows)
    {
        ArgumentNullException.ThrowIfNull(observer);

        // Also re-creates what a lost activation (its silo gone) forgot: the renewal is the whole subscription.
        foreach (var window in windows)
        {
            await AddAsync(observer, window);
        }

        if (_subscribers.TryGetValue(observer, out var subscriber))
        {
            subscriber.Windows.IntersectWith(windows);
            if (subscriber.Windows.Count == 0)
            {
                _subscribers.Remove(observer);
            }
        }

        ReleaseUnwatched();
    }

    private async Task<WindowPush> AddAsync(IWallboardObserver observer, string window)
    {
        if (!_windows.TryGetValue(window, out var push))
        {
            // The first subscriber's snapshot is the baseline: the next push is the next change.
            _windows[window] = push = new WindowPush { Last = await _stats.GetMetricsAsync(window) };
        }

        if (!_subscribers.TryGetValue(observer, out var subscriber))
        {
            _subscribers[observer] = subscriber = new Subscriber();
        }

        subscriber.Windows.Add(window);
        subscriber.LeaseUntilMs = NowMs() + (long)LeaseDuration.TotalMilliseconds;
        if (_timer is null)
        {
            // What subscribers are sent first is the baseline of the first round, not a change.
            var state = await _stats.GetPushStateAsync();
            _seen = (state.Epoch, state.Version);
            _live = await _stats.GetLiveAsync();
            _liveVersion = _seen;
            _lastRoundMs = NowMs();
            _lastMinute = _lastRoundMs / 60_000;
            _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(PushInterval, PushInterval) { KeepAlive = true });
        }

        return push;
    }

    /// <summary>
    /// One push round. The grain timer runs on the injected clock. A grain timer starts its period when the
    /// callback ends, so a round that takes half a second (a scope with a backlog of open tasks) would make
    /// pushes 1.5 s apart: at the end of each round the timer is set to fire a period after the round
    /// <em>started</em>. The guard below refuses a round that comes early anyway (<see cref="RoundSlack"/>
    /// absorbs the clock's millisecond truncation).
    /// </summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var nowMs = NowMs();
        foreach (var lapsed in _subscribers.Where(s => s.Value.LeaseUntilMs < nowMs).Select(s => s.Key).ToList())
        {
            _subscribers.Remove(lapsed);
            Log.LeaseExpired(logger, _grainKey);
        }

        if (ReleaseUnwatched() || nowMs - _lastRoundMs < (long)(PushInterval - RoundSlack).TotalMilliseconds)
        {
            return;
        }

        _lastRoundMs = nowMs;
        var state = await _stats.GetPushStateAsync();
        var changed = (state.Epoch, state.Version) != _seen;
        _seen = (state.Epoch, state.Version);

        // Rolling windows move by whole minutes and calendar windows turn at a minute too: look again then.
        var minute = nowMs / 60_000;
        if (changed || minute != _lastMinute)
        {
            _lastMinute = minute;
            await PushMetricsAsync();
        }

        if (changed)
        {
            _live = await _stats.GetLiveAsync();
            _liveVersion = _seen;
            foreach (var observer in _subscribers.Keys)
            {
                _ = observer.LiveChangedAsync(_grainKey, _live);
            }
        }

        PushAlerts(state.UrgentWaiting, nowMs);

        var spentMs = NowMs() - nowMs;
        if (spentMs > 0)
        {
            _timer?.Change(TimeSpan.FromMilliseconds(Math.Max(0, PushInterval.TotalMilliseconds - spentMs)), PushInterval);
        }
    }

    /// <summary>
    /// The live state for a new subscriber. Wallboards subscribe in crowds (a room of TVs after a restart, a
    /// reconnect after a network blip), and each live read walks every open task of the scope: subscribers share
    /// the last read while the scope has not changed since and it is less than a push interval old. The version
    /// is taken before the read, so a change racing the read only causes another read, never a stale answer.
    /// </summary>
    private async Task<LiveSnapshot> CurrentLiveAsync()
    {
        var version = await _stats.GetVersionAsync();
        if (_live is null || version != _liveVersion || NowMs() - _live.AsOf.ToUnixTimeMilliseconds() >= (long)PushInterval.TotalMilliseconds)
        {
            _live = await _stats.GetLiveAsync();
            _liveVersion = version;
        }

        return _live;
    }

    private async Task PushMetricsAsync()
    {
        var windows = _windows.Keys.ToImmutableArray();
        var snapshots = await _stats.GetMetricsAsync(windows);
        for (var i = 0; i < windows.Length; i++)
        {
            var push = _windows[windows[i]];
            var snapshot = snapshots[i];
            if (SameValues(push.Last, snapshot))
            {
                continue;
            }

            push.Last = snapshot;
            push.Revision++;
            foreach (var (observer, subscriber) in _subscribers)
            {
                if (subscriber.Windows.Contains(windows[i]))
                {
                    _ = observer.UpdatedAsync(_grainKey, windows[i], push.Revision, snapshot);
                }
            }
        }
    }

    /// <summary>
    /// Raises the alerts of urgent tasks that passed their threshold and clears those of tasks no longer waiting,
    /// at most <see cref="LiveOptions.MaxListed"/> of each a round (longest waiting first, earliest raised first).
    /// Each alert goes to every subscriber, so a backlog of thousands of breaching tasks would otherwise bury the
    /// scope's updates under millions of messages; the rest follow in the next rounds, and the live answer's
    /// <c>urgentWaiting</c> count covers them all meanwhile.
    /// </summary>
    private void PushAlerts(ImmutableArray<UrgentWait> waiting, long nowMs)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var stillWaiting = new HashSet<string>(StringComparer.Ordinal);
        var due = new List<UrgentWait>();
        foreach (var task in waiting)
        {
            stillWaiting.Add(task.TaskSid);
            var waitMs = Math.Max(0, nowMs - task.CreatedMs);
            if (!_raised.ContainsKey(task.TaskSid) && _settings.IsUrgentWaitAlert(task.SupportType, waitMs))
            {
                due.Add(task);
            }
        }

        foreach (var task in due.OrderBy(t => t.CreatedMs).ThenBy(t => t.TaskSid, StringComparer.Ordinal).Take(MaxListed))
        {
            var waitMs = Math.Max(0, nowMs - task.CreatedMs);
            var alert = new Alert(_key.PlatformId, task.TaskSid, task.TaskQueueSid, task.SupportType, waitMs / 1000.0, Alert.Raised, at);
            _raised[task.TaskSid] = alert;
            Broadcast(alert);
        }

        foreach (var raised in _raised.Values.Where(a => !stillWaiting.Contains(a.TaskSid)).OrderBy(a => a.At).ThenBy(a => a.TaskSid, StringComparer.Ordinal).Take(MaxListed).ToList())
        {
            _raised.Remove(raised.TaskSid);
            var waitMs = (nowMs - raised.At.ToUnixTimeMilliseconds()) + (long)(raised.WaitSeconds * 1000);
            Broadcast(raised with { WaitSeconds = waitMs / 1000.0, State = Alert.Cleared, At = at });
        }
    }

    private void Broadcast(Alert alert)
    {
        foreach (var observer in _subscribers.Keys)
        {
            _ = observer.AlertAsync(_grainKey, alert);
        }
    }

    /// <summary>Drops windows nobody watches; with no subscriber left, stops the timer and lets the activation go.</summary>
    private bool ReleaseUnwatched()
    {
        foreach (var window in _windows.Keys.Where(w => !_subscribers.Values.Any(s => s.Windows.Contains(w))).ToList())
        {
            _windows.Remove(window);
        }

        if (_subscribers.Count > 0)
        {
            return false;
        }

        _timer?.Dispose();
        _timer = null;
        DeactivateOnIdle();
        return true;
    }

    /// <summary>The same figures: a rolling window's end moves with the clock and is not a change.</summary>
    private static bool SameValues(MetricsSnapshot previous, MetricsSnapshot next) =>
        previous.Window.Start == next.Window.Start && (previous with { Window = next.Window }).Equals(next);

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private int MaxListed => liveOptions.Value.MaxListed;

    private sealed class Subscriber
    {
        public HashSet<string> Windows { get; } = new(StringComparer.Ordinal);

        public long LeaseUntilMs { get; set; }
    }

    private sealed class WindowPush
    {
        public required MetricsSnapshot Last { get; set; }

        public long Revision { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "A silo's wallboard subscription to {Scope} lapsed without renewal")]
        public static partial void LeaseExpired(ILogger logger, string scope);
    }
}
