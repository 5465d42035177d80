using LifelineRealtime.Domain.Backfill;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Backfill;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Backfill;

/// <summary>
/// Finds each platform's gaps and fills them from TaskRouter's Events resource (docs/backfill.md): on start, from the
/// last journaled event (less the overlap) to now; every <see cref="BackfillOptions.Interval"/>, the windows in which
/// the webhook received nothing for a platform (<see cref="QuietWindows"/>) and every fill that failed before. The
/// gap rules are <see cref="GapFinder"/>'s; a fill is <see cref="BackfillFiller"/>'s.
/// </summary>
public sealed class BackfillService : BackgroundService
{
    private readonly BackfillFiller _filler;
    private readonly IBackfillRecords _records;
    private readonly IEventJournal _journal;
    private readonly PlatformCatalog _platforms;
    private readonly BackfillOptions _options;
    private readonly BackfillStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly ILogger<BackfillService> _logger;
    private readonly bool _enabled;
    private readonly string _why;
    private readonly Dictionary<string, QuietWindows> _quiet = new(StringComparer.Ordinal);

    public BackfillService(
        BackfillFiller filler,
        IBackfillRecords records,
        IEventJournal journal,
        PlatformCatalog platforms,
        WebhookArrivals arrivals,
        BackfillStatusBoard board,
        IOptions<BackfillOptions> options,
        IOptions<SimulatorOptions> simulator,
        TimeProvider time,
        ILogger<BackfillService> logger)
    {
        ArgumentNullException.ThrowIfNull(arrivals);
        (_filler, _records, _journal, _platforms, _board, _time, _logger) = (filler, records, journal, platforms, board, time, logger);
        _options = options.Value;
        _enabled = _options.IsEnabled(simulator.Value.Enabled);
        _why = _options.Enabled is false ? "Lifeline:Backfill:Enabled is false" : "the embedded simulator's platforms are not real Twilio accounts";
        board.Enabled = _enabled;
        if (_enabled)
        {
            // Watching starts now, not at the first run: a silence from start on counts.
            var upSinceMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var platform in platforms.All)
            {
                _quiet[platform.Id] = new QuietWindows(_options.QuietGap, upSinceMs);
            }

            arrivals.Listen((platformId, arrivedMs) =>
            {
                if (_quiet.TryGetValue(platformId, out var windows))
                {
                    windows.Arrived(arrivedMs);
                }
            });
        }
    }

    /// <summary>Fills one platform's period now (an administrator's request), whatever the schedule; answers its record.</summary>
    public async Task<IReadOnlyList<FillRecord>> FillNowAsync(string platformId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var plan = GapFinder.Plan([new FillPeriod(platformId, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), FillTriggers.Manual)],
            _time.GetUtcNow().ToUnixTimeMilliseconds(), _options.Rules);
        return await RunAsync(plan, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            BackfillLog.Disabled(_logger, _why);
            return;
        }

        // Let the host finish starting (and the journal open) before the first read.
        await Task.Yield();
        BackfillLog.Scheduled(_logger, _options.Interval, _options.QuietGap, _options.Overlap, _options.MaxLookBack);
        await RunOnceAsync(atStart: true, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Interval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunOnceAsync(atStart: false, stoppingToken);
        }
    }

    /// <summary>One run: find the gaps, record what cannot be read, fill the rest platform by platform.</summary>
    internal async Task RunOnceAsync(bool atStart, CancellationToken cancellationToken)
    {
        var taken = new List<FillPeriod>();
        try
        {
            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var periods = new List<FillPeriod>();
            if (atStart)
            {
                if (await _records.InterruptedAsync(nowMs, cancellationToken) is > 0 and var interrupted)
                {
                    BackfillLog.Interrupted(_logger, interrupted);
                }

                foreach (var platform in _platforms.All)
                {
                    var last = await _journal.LatestEventTimeAsync(platform.Id, cancellationToken);
                    var checkedMs = await _records.CheckedAsync(platform.Id, cancellationToken);
                    if (GapFinder.AtStart(platform.Id, last, checkedMs, nowMs, _options.Rules) is { } gap)
                    {
                        periods.Add(gap);
                    }
                }
            }

            foreach (var (platformId, windows) in _quiet)
            {
                foreach (var (fromMs, toMs) in windows.Take(nowMs))
                {
                    taken.Add(new FillPeriod(platformId, fromMs, toMs, FillTriggers.Quiet));
                }
            }

            periods.AddRange(taken);
            foreach (var failed in await _records.PendingAsync(cancellationToken))
            {
                periods.Add(new FillPeriod(failed.PlatformId, failed.FromMs, failed.ToMs, FillTriggers.Retry));
            }

            var plan = GapFinder.Plan(periods.Where(p => _platforms.TryGet(p.PlatformId, out _)), nowMs, _options.Rules);
            await RunAsync(plan, cancellationToken);
            taken.Clear();
            foreach (var (platformId, windows) in _quiet)
            {
                await _records.SetCheckedAsync(platformId, windows.CheckedMs, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a fill cut short is recorded as such and retried at the next start.
        }
        catch (Exception e)
        {
            // The windows taken but not yet filled are looked at again next time (a re-read is harmless).
            foreach (var group in taken.GroupBy(t => t.PlatformId, StringComparer.Ordinal))
            {
                _quiet[group.Key].Return(group.Select(t => (t.FromMs, t.ToMs)));
            }

            BackfillLog.RunFailed(_logger, e);
        }
    }

    private async Task<IReadOnlyList<FillRecord>> RunAsync(FillPlan plan, CancellationToken cancellationToken)
    {
        var done = new List<FillRecord>();
        foreach (var lost in plan.Unrecoverable)
        {
            done.Add(await _filler.UnrecoverableAsync(lost, _options.MaxLookBack, cancellationToken));
        }

        foreach (var fill in plan.Fills)
        {
            var coveredFrom = plan.Unrecoverable.FirstOrDefault(u => u.PlatformId == fill.PlatformId && u.ToMs == fill.FromMs)?.FromMs ?? fill.FromMs;
            done.Add(await _filler.FillAsync(fill, coveredFrom, cancellationToken));
        }

        return done;
    }
}
