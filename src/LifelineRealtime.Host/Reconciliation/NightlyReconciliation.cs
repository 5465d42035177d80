using System.Collections.Concurrent;
using System.Globalization;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Reconciliation;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Reconciliation;

/// <summary>A platform's next nightly run: when, and for which local day.</summary>
public sealed record ScheduledReconciliation(string PlatformId, DateTimeOffset At, DateOnly Date);

/// <summary>
/// Runs <see cref="Reconciler"/> for every platform each night at <see cref="ReconciliationOptions.RunAt"/> local time
/// (its own zone), for the local day that has just closed. Waits on the <see cref="TimeProvider"/>, so a fake clock
/// drives it. A day missed while the host was down is not caught up at start: an admin runs it on demand.
/// </summary>
public sealed class NightlyReconciliation(
    IOptions<ReconciliationOptions> options,
    PlatformCatalog platforms,
    Reconciler reconciler,
    TimeProvider time,
    ILogger<NightlyReconciliation> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ScheduledReconciliation> _next = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _scheduled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Each platform's next run (empty when the nightly run is off).</summary>
    public IReadOnlyCollection<ScheduledReconciliation> Next => [.. _next.Values.OrderBy(n => n.PlatformId, StringComparer.Ordinal)];

    /// <summary>Completes once the first run's timer is set on the clock (or the nightly run is found off).</summary>
    public Task Scheduled => _scheduled.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            ReconciliationLog.Disabled(logger);
            _scheduled.TrySetResult();
            return;
        }

        var runAt = settings.RunAtTime;
        var now = time.GetUtcNow();
        foreach (var platform in platforms.All)
        {
            Schedule(platform, now, runAt);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _next.Values.Min(n => n.At) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // The timer exists once Delay returns: only then is the run's time fixed on the clock.
                var delay = Task.Delay(wait, time, stoppingToken);
                _scheduled.TrySetResult();
                await delay;
            }

            now = time.GetUtcNow();
            foreach (var due in _next.Values.Where(n => n.At <= now).OrderBy(n => n.PlatformId, StringComparer.Ordinal).ToList())
            {
                try
                {
                    await reconciler.RunAsync(due.PlatformId, due.Date, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    var day = due.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    ReconciliationLog.NightlyFailed(logger, e, due.PlatformId, day);
                }

                // From the run's own time, not now: a clock that jumped past several nights runs each of them.
                Schedule(platforms.Get(due.PlatformId), due.At, runAt);
            }
        }
    }

    private void Schedule(PlatformSettings platform, DateTimeOffset after, TimeOnly runAt)
    {
        var (at, date) = ReconciliationSchedule.Next(after, platform.TimeZone, runAt);
        _next[platform.Id] = new ScheduledReconciliation(platform.Id, at, date);
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        ReconciliationLog.Scheduled(logger, platform.Id, at, day);
    }
}
