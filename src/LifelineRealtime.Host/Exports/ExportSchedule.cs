using LifelineRealtime.Domain.Platforms;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Exports;

/// <summary>
/// Which days are due: each platform's current local day, every round; and each closed day once, when its
/// local end plus the grace has passed (its final export). Plain and deterministic: the scheduler asks it with the
/// time and what it has already finalized.
/// </summary>
public static class ExportSchedule
{
    public static List<(string PlatformId, DateOnly Day, bool Final)> Due(IEnumerable<PlatformSettings> platforms, long nowMs, TimeSpan grace, ISet<(string, DateOnly)> finalized)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(finalized);
        var due = new List<(string, DateOnly, bool)>();
        var graceDays = (int)Math.Ceiling(grace.TotalDays) + 1;
        foreach (var settings in platforms)
        {
            var today = settings.LocalDate(nowMs);
            for (var day = today.AddDays(-graceDays); day < today; day = day.AddDays(1))
            {
                if (nowMs >= settings.LocalDayStartMs(day.AddDays(1)) + (long)grace.TotalMilliseconds && !finalized.Contains((settings.Id, day))
                    && nowMs < settings.LocalDayStartMs(day.AddDays(1)) + (long)grace.TotalMilliseconds + (long)TimeSpan.FromDays(1).TotalMilliseconds)
                {
                    due.Add((settings.Id, day, true));
                }
            }

            due.Add((settings.Id, today, false));
        }

        return due;
    }
}

/// <summary>Exports the current day every <c>Interval</c> and each day once more after it closes plus <c>Grace</c>.</summary>
public sealed class ExportScheduler(ExportQueue queue, PlatformCatalog platforms, IOptions<ExportOptions> options, TimeProvider time, ILogger<ExportScheduler> logger) : BackgroundService
{
    private readonly HashSet<(string, DateOnly)> _finalized = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Scheduled)
        {
            return;
        }

        using var timer = new PeriodicTimer(o.Interval, time);
        do
        {
            try
            {
                var due = ExportSchedule.Due(platforms.All, time.GetUtcNow().ToUnixTimeMilliseconds(), o.Grace, _finalized);
                var job = await queue.EnqueueAsync("schedule", due.Select(d => (d.PlatformId, d.Day)), ExportTables.All, stoppingToken);
                await job.Completion.WaitAsync(stoppingToken);
                if (job.Status.State == ExportState.Succeeded)
                {
                    foreach (var (platformId, day, final) in due)
                    {
                        if (final)
                        {
                            _finalized.Add((platformId, day));
                        }
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ExportLog.ScheduleFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
