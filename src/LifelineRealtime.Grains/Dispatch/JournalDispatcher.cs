using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Grains.Platforms;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Grains.Dispatch;

/// <summary>
/// Moves committed journal records to the grains: task events to task grains, worker events to worker
/// grains, and the stats changes they return to one stats grain per scope — one call per scope per round,
/// so a busy scope is never a per-event hot spot, and webhooks never wait for any of it.
/// <para>
/// Exactly-once effect without a distributed transaction: every change carries the journal sequence
/// that caused it; task and worker grains re-derive the same change for a record they already hold;
/// stats grains skip changes at or below the watermark they persisted. The checkpoint advances only
/// after every grain touched since the last one has written its state, so after a crash the journal is
/// replayed from the checkpoint and nothing is lost or counted twice.
/// </para>
/// </summary>
public sealed partial class JournalDispatcher(
    IEventJournal journal,
    IGrainFactory grains,
    PlatformCatalog platforms,
    IOptions<DispatchOptions> options,
    DispatchInstruments instruments,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<JournalDispatcher> logger) : BackgroundService
{
    /// <summary>Key of the single checkpoint grain of this journal.</summary>
    public const string CheckpointKey = "journal";

    private readonly DispatchOptions _options = options.Value;
    private Dictionary<string, Func<Task>> _touched = new(StringComparer.Ordinal);
    private readonly Lock _progressLock = new();
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private readonly HashSet<StatsKey> _registeredScopes = [];
    private long _dispatched = -1;

    /// <summary>The highest journal sequence delivered to the grains (−1 before the first round).</summary>
    public long DispatchedSequence => Volatile.Read(ref _dispatched);

    /// <summary>Completes once every record up to <paramref name="sequence"/> has reached the grains.</summary>
    public Task WaitForDispatchAsync(long sequence, CancellationToken cancellationToken)
    {
        lock (_progressLock)
        {
            if (DispatchedSequence >= sequence)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grains are reachable only once the co-hosted silo has started: wait for the whole host.
        var hostStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => hostStarted.TrySetResult()))
        {
            await hostStarted.Task.WaitAsync(stoppingToken);
        }

        var checkpointGrain = grains.GetGrain<IDispatchCheckpointGrain>(CheckpointKey);
        var position = await checkpointGrain.GetAsync();
        Log.Starting(logger, position, journal.HighWaterSequence);
        Advance(position);
        var lastCheckpoint = time.GetTimestamp();
        Task? checkpointing = null;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (checkpointing is { IsCompleted: true })
                {
                    var finished = checkpointing;
                    checkpointing = null;
                    await finished;
                }

                var records = await journal.ReadAfterSequenceAsync(position, _options.BatchSize, stoppingToken);
                if (records.Count > 0)
                {
                    var started = time.GetTimestamp();
                    await RoundAsync(records);
                    position = records[^1].Sequence;
                    instruments.Delivered(records.Count, time.GetElapsedTime(started).TotalSeconds);
                    instruments.Lag(Math.Max(0, journal.HighWaterSequence - position));
                    Advance(position);
                }

                var touched = Volatile.Read(ref _touched).Count > 0;
                if (touched && checkpointing is null && time.GetElapsedTime(lastCheckpoint) >= _options.FlushInterval)
                {
                    checkpointing = CheckpointAsync(checkpointGrain, position);
                    lastCheckpoint = time.GetTimestamp();
                }

                if (records.Count > 0)
                {
                    continue;
                }

                var commit = journal.WaitForCommitAsync(position, stoppingToken);
                if (checkpointing is not null)
                {
                    await Task.WhenAny(commit, checkpointing);
                }
                else if (touched && !await CommitWithinAsync(commit, stoppingToken))
                {
                    // The journal went quiet: write what this burst touched now rather than at the interval.
                    checkpointing = CheckpointAsync(checkpointGrain, position);
                    lastCheckpoint = time.GetTimestamp();
                }
                else
                {
                    await commit;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Nothing advanced: the round (or the checkpoint) is retried, and re-applying it is harmless.
                instruments.Failed();
                Log.RoundFailed(logger, position, e);
                await Task.Delay(_options.RetryDelay, time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }

        try
        {
            if (checkpointing is not null)
            {
                await checkpointing.ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            await CheckpointAsync(checkpointGrain, position);
        }
        catch (Exception e)
        {
            Log.FinalCheckpointFailed(logger, position, e);
        }
    }

    /// <summary>True when <paramref name="commit"/> completes within the idle delay; false when the journal stayed quiet.</summary>
    private async Task<bool> CommitWithinAsync(Task commit, CancellationToken stoppingToken)
    {
        if (commit.IsCompleted || _options.IdleCheckpointDelay <= TimeSpan.Zero)
        {
            return commit.IsCompleted;
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(_options.IdleCheckpointDelay, time, idle.Token);
        var first = await Task.WhenAny(commit, delay);
        await idle.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
        return first == commit;
    }

    /// <summary>Delivers records again, as a restart from an older checkpoint would (tests of idempotency).</summary>
    internal Task RedeliverAsync(IReadOnlyList<JournalRecord> records) => RoundAsync(records);

    private async Task RoundAsync(IReadOnlyList<JournalRecord> records)
    {
        await _round.WaitAsync();
        try
        {
            await DispatchAsync(records);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task DispatchAsync(IReadOnlyList<JournalRecord> records)
    {
        var tasks = new Dictionary<EntityKey, List<JournalInput>>();
        var workers = new Dictionary<EntityKey, List<JournalInput>>();
        foreach (var record in records)
        {
            if (!platforms.TryGet(record.PlatformId, out _))
            {
                continue;
            }

            var input = new JournalInput(record.Sequence, record.Format == JournalWireFormat.Form ? InputFormat.Form : InputFormat.EventStreams, record.Payload);
            switch (record.Event)
            {
                case TaskEvent e:
                    Add(tasks, new EntityKey(record.PlatformId, e.Task.Sid), input);
                    break;
                case ReservationEvent e:
                    Add(tasks, new EntityKey(record.PlatformId, e.Task.Sid), input);
                    break;
                case TransferEvent e:
                    Add(tasks, new EntityKey(record.PlatformId, e.Task.Sid), input);
                    break;
                case WorkerEvent e:
                    Add(workers, new EntityKey(record.PlatformId, e.Worker.Sid), input);
                    break;
            }
        }

        var stats = new Dictionary<StatsKey, StatsBatchBuilder>();

        // Stage 1: every task and worker of the round, concurrently.
        var entityCalls = tasks.Select(async pair =>
        {
            var grain = grains.GetGrain<ITaskGrain>(pair.Key.ToGrainKey());
            Touch(pair.Key.ToGrainKey() + "#task", grain.FlushAsync);
            return (pair.Key.PlatformId, Result: await grain.ApplyAsync([.. pair.Value], []));
        }).Concat(workers.Select(async pair =>
        {
            var grain = grains.GetGrain<IWorkerGrain>(pair.Key.ToGrainKey());
            Touch(pair.Key.ToGrainKey() + "#worker", grain.FlushAsync);
            return (pair.Key.PlatformId, Result: await grain.ApplyAsync([.. pair.Value]));
        }));
        var results = await Task.WhenAll(entityCalls);

        // Stage 2: chat transfers made as new tasks are counted on the task they continue.
        var transfers = new Dictionary<EntityKey, List<TransferInput>>();
        foreach (var (platformId, result) in results)
        {
            Collect(stats, platformId, result);
            foreach (var transfer in result.Transfers)
            {
                var key = new EntityKey(platformId, transfer.OriginalTaskSid);
                if (!transfers.TryGetValue(key, out var list))
                {
                    transfers[key] = list = [];
                }

                list.Add(transfer);
            }
        }

        if (transfers.Count > 0)
        {
            var linked = await Task.WhenAll(transfers.Select(async pair =>
            {
                var grain = grains.GetGrain<ITaskGrain>(pair.Key.ToGrainKey());
                Touch(pair.Key.ToGrainKey() + "#task", grain.FlushAsync);
                return (pair.Key.PlatformId, Result: await grain.ApplyAsync([], [.. pair.Value.OrderBy(t => t.Sequence)]));
            }));
            foreach (var (platformId, result) in linked)
            {
                Collect(stats, platformId, result);
            }
        }

        // Stage 3: one call per stats scope.
        await Task.WhenAll(stats.Select(pair =>
        {
            var grain = grains.GetGrain<IStatsGrain>(pair.Key.ToGrainKey());
            Touch(pair.Key.ToGrainKey() + "#stats", grain.FlushAsync);
            return grain.ApplyAsync(pair.Value.Build());
        }));

        await RegisterScopesAsync(stats.Keys);
    }

    /// <summary>
    /// Tells each platform's scope directory about queues, teams and workers it has not been told of since
    /// this dispatcher started; the directory flushes with the checkpoint like every other touched grain.
    /// </summary>
    private async Task RegisterScopesAsync(IEnumerable<StatsKey> keys)
    {
        var fresh = keys.Where(k => k.Kind != ScopeKind.Platform && !_registeredScopes.Contains(k)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        await Task.WhenAll(fresh.GroupBy(k => k.PlatformId, StringComparer.Ordinal).Select(platform =>
        {
            var directory = grains.GetGrain<IScopeDirectoryGrain>(platform.Key);
            Touch(platform.Key + "#scopes", directory.FlushAsync);
            return directory.AddAsync([.. platform.Select(k => new ScopeEntry((byte)k.Kind, k.Id))]);
        }));
        _registeredScopes.UnionWith(fresh);
    }

    /// <summary>
    /// Flushes every grain touched up to <paramref name="position"/> and then records the position. Runs beside
    /// later rounds: grains they touch go to a fresh set for the next checkpoint, and a grain whose flush also
    /// writes changes past the position is harmless (replay skips them). On failure the set is handed back.
    /// </summary>
    private async Task CheckpointAsync(IDispatchCheckpointGrain checkpointGrain, long position)
    {
        Dictionary<string, Func<Task>> flushes;
        await _round.WaitAsync();
        try
        {
            flushes = _touched;
            _touched = new Dictionary<string, Func<Task>>(StringComparer.Ordinal);
        }
        finally
        {
            _round.Release();
        }

        try
        {
            await Task.WhenAll(flushes.Values.Select(flush => flush()));
            await checkpointGrain.SetAsync(position);
            instruments.Checkpointed();
        }
        catch
        {
            await _round.WaitAsync();
            try
            {
                foreach (var (key, flush) in flushes)
                {
                    _touched.TryAdd(key, flush);
                }
            }
            finally
            {
                _round.Release();
            }

            throw;
        }
    }

    private void Touch(string key, Func<Task> flush) => _touched.TryAdd(key, flush);

    private void Advance(long position)
    {
        lock (_progressLock)
        {
            Volatile.Write(ref _dispatched, position);
            _waiters.RemoveAll(waiter =>
            {
                if (waiter.Sequence > position)
                {
                    return false;
                }

                waiter.Done.TrySetResult();
                return true;
            });
        }
    }

    private static void Add<TKey>(Dictionary<TKey, List<JournalInput>> map, TKey key, JournalInput input)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(input);
    }

    private static void Collect(Dictionary<StatsKey, StatsBatchBuilder> stats, string platformId, EntityApplyResult result)
    {
        foreach (var change in result.Changes)
        {
            var key = new StatsKey(platformId, (ScopeKind)change.Kind, change.ScopeId);
            if (!stats.TryGetValue(key, out var builder))
            {
                stats[key] = builder = new StatsBatchBuilder();
            }

            builder.Add(change.Batch);
        }
    }

    /// <summary>Merges the batches one scope receives in a round, in sequence order.</summary>
    private sealed class StatsBatchBuilder
    {
        private readonly List<SampleChange> _samples = [];
        private readonly List<IntervalChange> _intervals = [];
        private readonly List<OpenActivityChange> _open = [];
        private readonly List<TaskLiveChange> _tasks = [];

        public void Add(StatsBatch batch)
        {
            _samples.AddRange(batch.Samples);
            _intervals.AddRange(batch.Intervals);
            _open.AddRange(batch.OpenActivities);
            _tasks.AddRange(batch.Tasks);
        }

        public StatsBatch Build() => new(
            [.. _samples.OrderBy(s => s.Sequence)],
            [.. _intervals.OrderBy(s => s.Sequence)],
            [.. _open.OrderBy(s => s.Sequence).ThenBy(s => s.Removed ? 0 : 1)],
            [.. _tasks.OrderBy(s => s.Sequence)]);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Journal dispatch resumes after sequence {Checkpoint} (journal at {HighWater})")]
        public static partial void Starting(ILogger logger, long checkpoint, long highWater);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Journal dispatch round after sequence {Position} failed; it will be retried")]
        public static partial void RoundFailed(ILogger logger, long position, Exception exception);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Final checkpoint at sequence {Position} failed; the journal will be replayed from the previous one")]
        public static partial void FinalCheckpointFailed(ILogger logger, long position, Exception exception);
    }
}
