using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Storage.Conversations;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Storage.Quarantine;
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
/// <para>
/// No single record can stop dispatch. A record that can never be a real event (its times outside the
/// <see cref="EventTimeWindow"/>, or a payload that no longer parses) is set aside before any grain sees it.
/// A round that fails for a reason other than an unavailable silo or store is split in halves until the
/// failing record is alone; after <see cref="DispatchOptions.QuarantineAfterAttempts"/> tries it is set aside
/// too. A record set aside stays in the journal and is listed in the <see cref="IDispatchQuarantine"/>; every
/// other record, including the rest of its task's events, is applied, and
/// <see cref="ReapplyQuarantineAsync"/> applies it after a fix.
/// </para>
/// </summary>
public sealed partial class JournalDispatcher(
    IEventJournal journal,
    IDispatchQuarantine quarantine,
    IConversationStore conversations,
    EventTimeWindow eventTimes,
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
    private readonly Lock _conversationsGate = new();
    private Dictionary<(string, string), ConversationRecord> _pendingConversations = [];
    private readonly Lock _progressLock = new();
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private readonly HashSet<StatsKey> _registeredScopes = [];
    private readonly Lock _quarantineLock = new();
    private HashSet<long> _quarantined = [];
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
            if (cancellationToken.CanBeCanceled)
            {
                // A waiter that gives up leaves nothing behind (a stalled dispatcher would otherwise collect them).
                var registration = cancellationToken.Register(() =>
                {
                    lock (_progressLock)
                    {
                        _waiters.Remove((sequence, done));
                    }

                    done.TrySetCanceled(cancellationToken);
                });
                _ = done.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, TaskScheduler.Default);
            }

            return done.Task;
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
        var quarantined = await LoadQuarantineAsync(stoppingToken);
        lock (_quarantineLock)
        {
            _quarantined = [.. quarantined];
        }

        Log.Starting(logger, position, journal.HighWaterSequence, quarantined.Count);
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
                    await DeliverAsync(records, stoppingToken);
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

    /// <summary>The sequences set aside, read before the first round; retried while the journal's file cannot be opened.</summary>
    private async Task<IReadOnlySet<long>> LoadQuarantineAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await quarantine.SequencesAsync(stoppingToken);
            }
            catch (Exception e) when (IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                Log.QuarantineUnavailable(logger, e);
                await Task.Delay(_options.RetryDelay, time, stoppingToken);
            }
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

    /// <summary>
    /// Delivers one batch read from the journal: skips records already set aside, sets aside those that can
    /// never be real events, applies the rest, and isolates a record whose application fails. Throws only for
    /// a failure that retrying the whole batch can cure (a silo or store unavailable).
    /// </summary>
    private async Task DeliverAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken)
    {
        var accepted = new List<JournalRecord>(records.Count);
        foreach (var record in records)
        {
            if (IsQuarantined(record.Sequence))
            {
                continue;
            }

            if (Refusal(record) is { } reason)
            {
                await QuarantineAsync(record, reason, attempts: 1, cancellationToken);
                continue;
            }

            accepted.Add(record);
        }

        if (accepted.Count == 0)
        {
            return;
        }

        try
        {
            await RoundAsync(accepted);
        }
        catch (Exception e) when (!IsTransient(e))
        {
            instruments.Failed();
            Log.Isolating(logger, accepted[0].Sequence, accepted[^1].Sequence, e.GetType().Name);
            await IsolateAsync(accepted, e, cancellationToken);
        }
    }

    /// <summary>
    /// Applies <paramref name="records"/> (whose round failed with <paramref name="failure"/>) half by half,
    /// in sequence order, until each failing record is alone; a record that still fails after
    /// <see cref="DispatchOptions.QuarantineAfterAttempts"/> tries is set aside. Applying a half again is
    /// harmless: grains recognise what they already hold by sequence.
    /// </summary>
    private async Task IsolateAsync(IReadOnlyList<JournalRecord> records, Exception failure, CancellationToken cancellationToken)
    {
        if (records.Count == 1)
        {
            var record = records[0];
            var attempts = 1;
            while (attempts < _options.QuarantineAfterAttempts)
            {
                await Task.Delay(_options.RetryDelay, time, cancellationToken);
                attempts++;
                try
                {
                    await RoundAsync(records);
                    return;
                }
                catch (Exception e) when (!IsTransient(e))
                {
                    failure = e;
                }
            }

            await ForgetAsync(record);
            await QuarantineAsync(record, Describe(failure), attempts, cancellationToken);
            return;
        }

        var middle = records.Count / 2;
        foreach (var half in (IReadOnlyList<JournalRecord>[])[records.Take(middle).ToList(), records.Skip(middle).ToList()])
        {
            try
            {
                await RoundAsync(half);
            }
            catch (Exception e) when (!IsTransient(e))
            {
                await IsolateAsync(half, e, cancellationToken);
            }
        }
    }

    /// <summary>Why a record must not reach any grain, or null: a payload that no longer parses, or event times
    /// no real event can carry (judged against the later of its arrival and now, so a record accepted at
    /// ingest stays acceptable).</summary>
    private string? Refusal(JournalRecord record)
    {
        if (record.Unreadable is { } unreadable)
        {
            return unreadable;
        }

        var nowMs = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), record.ArrivedMs);
        return eventTimes.Check(record.Event, nowMs)?.Message;
    }

    private async Task QuarantineAsync(JournalRecord record, string error, int attempts, CancellationToken cancellationToken)
    {
        await quarantine.AddAsync(
            new QuarantinedRecord(record.Sequence, record.PlatformId, record.EventSid, record.EventType, error, time.GetUtcNow().ToUnixTimeMilliseconds(), attempts),
            cancellationToken);
        lock (_quarantineLock)
        {
            _quarantined.Add(record.Sequence);
        }

        instruments.Quarantined(record.PlatformId);
        Log.Quarantined(logger, record.Sequence, record.EventSid, record.PlatformId, error);
    }

    private bool IsQuarantined(long sequence)
    {
        lock (_quarantineLock)
        {
            return _quarantined.Contains(sequence);
        }
    }

    /// <summary>
    /// True for failures of the machinery rather than of a record: a silo, a message, storage or the network.
    /// Those are retried with the whole batch; anything else (an exception from the domain code) is taken to
    /// belong to a record and isolated.
    /// </summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        OrleansException or TimeoutException or OperationCanceledException or IOException or System.Data.Common.DbException => true,
        System.Net.Sockets.SocketException or System.Net.Http.HttpRequestException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    private static string Describe(Exception e)
    {
        var message = e.Message.Length <= 500 ? e.Message : e.Message[..500];
        return $"{e.GetType().Name}: {message}";
    }

    /// <summary>
    /// Applies every record set aside again, in sequence order, for instance after a fix was deployed. A record
    /// that still cannot be applied stays set aside with its latest error. Each applied record's grains are
    /// flushed before it leaves the quarantine, so a crash cannot lose it.
    /// </summary>
    public async Task<QuarantineReapplyResult> ReapplyQuarantineAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        var remaining = new List<QuarantinedRecord>();
        foreach (var entry in await quarantine.ListAsync(cancellationToken))
        {
            var found = await journal.ReadAfterSequenceAsync(entry.Sequence - 1, 1, cancellationToken);
            if (found.Count == 0 || found[0].Sequence != entry.Sequence)
            {
                remaining.Add(entry);
                continue;
            }

            var record = found[0];
            var error = Refusal(record);
            if (error is null)
            {
                try
                {
                    await RoundAsync([record], reapply: true);
                    await FlushTouchedAsync();
                }
                catch (Exception e) when (!IsTransient(e))
                {
                    error = Describe(e);
                    await ForgetAsync(record);
                }
            }

            if (error is not null)
            {
                await quarantine.AddAsync(entry with { Error = error, Attempts = 1 }, cancellationToken);
                remaining.Add(entry with { Error = error, Attempts = entry.Attempts + 1 });
                continue;
            }

            await quarantine.RemoveAsync(entry.Sequence, cancellationToken);
            lock (_quarantineLock)
            {
                _quarantined.Remove(entry.Sequence);
            }

            applied++;
            Log.Reapplied(logger, entry.Sequence, entry.EventSid, entry.PlatformId);
        }

        return new QuarantineReapplyResult(applied, remaining);
    }

    /// <summary>Delivers records again, as a restart from an older checkpoint would (tests of idempotency).</summary>
    internal Task RedeliverAsync(IReadOnlyList<JournalRecord> records) => RoundAsync(records);

    private async Task RoundAsync(IReadOnlyList<JournalRecord> records, bool reapply = false)
    {
        await _round.WaitAsync();
        try
        {
            await DispatchAsync(records, reapply);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task DispatchAsync(IReadOnlyList<JournalRecord> records, bool reapply)
    {
        var tasks = new Dictionary<EntityKey, List<JournalInput>>();
        var workers = new Dictionary<EntityKey, List<JournalInput>>();
        var named = new HashSet<StatsKey>();
        var namedInRecord = new List<ScopeKey>();
        foreach (var record in records)
        {
            if (!platforms.TryGet(record.PlatformId, out var settings))
            {
                continue;
            }

            namedInRecord.Clear();
            record.Event.AddScopesNamed(settings, namedInRecord);
            foreach (var scope in namedInRecord)
            {
                named.Add(StatsKey.For(record.PlatformId, scope));
            }

            // The event the journal read travels with the input: the grain does not parse the payload again.
            var input = new JournalInput(record.Sequence, InputFormatOf(record.Format), record.Payload)
            {
                Event = record.Event,
            };
            if (EntityOf(record) is var (key, isTask))
            {
                Add(isTask ? tasks : workers, key, input);
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
        var conversationRecords = new Dictionary<(string, string), ConversationRecord>();
        foreach (var (platformId, result) in results)
        {
            Collect(stats, platformId, result);
            if (result.Conversation is { } conversation)
            {
                conversationRecords[(conversation.Platform, conversation.TaskSid)] = conversation;
            }

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
                if (result.Conversation is { } conversation)
                {
                    conversationRecords[(conversation.Platform, conversation.TaskSid)] = conversation;
                }
            }
        }

        // The conversation list, at once when its store answers; otherwise at the checkpoint, which does not move past
        // this round until they are written (a replay writes the same records again). Never a reason to set a record aside.
        lock (_conversationsGate)
        {
            foreach (var (key, record) in conversationRecords)
            {
                _pendingConversations[key] = record;
            }
        }

        try
        {
            await WriteConversationsAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ConversationsNotWritten(logger, e.GetType().Name);
            Touch("#conversations", WriteConversationsAsync);
        }

        // Stage 3: one call per stats scope.
        await Task.WhenAll(stats.Select(pair =>
        {
            var grain = grains.GetGrain<IStatsGrain>(pair.Key.ToGrainKey());
            Touch(pair.Key.ToGrainKey() + "#stats", grain.FlushAsync);
            return reapply ? grain.ReapplyAsync(pair.Value.Build(), records[0].Sequence) : grain.ApplyAsync(pair.Value.Build());
        }));

        named.UnionWith(stats.Keys);
        await RegisterScopesAsync(named);
    }

    /// <summary>
    /// Tells each platform's scope directory about queues, teams and workers it has not been told of since
    /// this dispatcher started: every scope a record of the round names (<see cref="EventSubjects.AddScopesNamed"/>)
    /// and every scope it changed. The directory flushes with the checkpoint like every other touched grain.
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
            return directory.AddAsync([.. platform.Select(k => new ScopeEntry(k.Kind, k.Id))]);
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
        await FlushTouchedAsync();
        await checkpointGrain.SetAsync(position);
        instruments.Checkpointed();
    }

    /// <summary>Writes the state of every grain touched so far; on failure the set is handed back for the next try.</summary>
    private async Task FlushTouchedAsync()
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

    /// <summary>Writes the conversation records not written yet; on failure they stay pending (a newer record of a task wins).</summary>
    private async Task WriteConversationsAsync()
    {
        Dictionary<(string, string), ConversationRecord> batch;
        lock (_conversationsGate)
        {
            if (_pendingConversations.Count == 0)
            {
                return;
            }

            batch = _pendingConversations;
            _pendingConversations = [];
        }

        try
        {
            await conversations.UpsertAsync(batch.Values);
        }
        catch
        {
            lock (_conversationsGate)
            {
                foreach (var (key, record) in batch)
                {
                    _pendingConversations.TryAdd(key, record);
                }
            }

            throw;
        }
    }

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

    /// <summary>
    /// The grain a record goes to: its task's (<see cref="EventSubjects.TaskOf"/>), else a worker event's worker's;
    /// null for events no grain takes (configuration, unknown).
    /// </summary>
    private static (EntityKey Key, bool IsTask)? EntityOf(JournalRecord record) => record.Event switch
    {
        var e when e.TaskOf() is { Sid: var taskSid } => (new EntityKey(record.PlatformId, taskSid), true),
        WorkerEvent e => (new EntityKey(record.PlatformId, e.Worker.Sid), false),
        _ => null,
    };

    /// <summary>
    /// Makes the grain a failed record reached let go of it, so the rest of its task's (or worker's) events
    /// apply as if it had never arrived; the grain is flushed with the next checkpoint.
    /// </summary>
    private async Task ForgetAsync(JournalRecord record)
    {
        if (EntityOf(record) is not var (key, isTask))
        {
            return;
        }

        await _round.WaitAsync();
        try
        {
            if (isTask)
            {
                var grain = grains.GetGrain<ITaskGrain>(key.ToGrainKey());
                Touch(key.ToGrainKey() + "#task", grain.FlushAsync);
                await grain.ForgetAsync(record.Sequence);
            }
            else
            {
                var grain = grains.GetGrain<IWorkerGrain>(key.ToGrainKey());
                Touch(key.ToGrainKey() + "#worker", grain.FlushAsync);
                await grain.ForgetAsync(record.Sequence);
            }
        }
        finally
        {
            _round.Release();
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
            var key = new StatsKey(platformId, change.Kind, change.ScopeId);
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
        private readonly List<WorkerLiveChange> _workers = [];

        public void Add(StatsBatch batch)
        {
            if (!batch.Workers.IsDefault)
            {
                _workers.AddRange(batch.Workers);
            }

            _samples.AddRange(batch.Samples);
            _intervals.AddRange(batch.Intervals);
            _open.AddRange(batch.OpenActivities);
            _tasks.AddRange(batch.Tasks);
        }

        public StatsBatch Build() => new(
            [.. _samples.OrderBy(s => s.Sequence)],
            [.. _intervals.OrderBy(s => s.Sequence)],
            [.. _open.OrderBy(s => s.Sequence).ThenBy(s => s.Removed ? 0 : 1)],
            [.. _tasks.OrderBy(s => s.Sequence)])
        {
            Workers = [.. _workers.OrderBy(s => s.Sequence)],
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Journal dispatch resumes after sequence {Checkpoint} (journal at {HighWater}; {Quarantined} records set aside)")]
        public static partial void Starting(ILogger logger, long checkpoint, long highWater, int quarantined);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Journal dispatch of sequences {First}..{Last} failed ({Error}); applying them in halves to find the record that fails")]
        public static partial void Isolating(ILogger logger, long first, long last, string error);

        [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "Journal record {Sequence} (event {EventSid}, platform {Platform}) was set aside and not applied: {Error}. Dispatch goes on; see GET /api/admin/quarantine")]
        public static partial void Quarantined(ILogger logger, long sequence, string eventSid, string platform, string error);

        [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "The quarantine beside the journal cannot be read yet; dispatch waits for it")]
        public static partial void QuarantineUnavailable(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Journal record {Sequence} (event {EventSid}, platform {Platform}) was applied from the quarantine")]
        public static partial void Reapplied(ILogger logger, long sequence, string eventSid, string platform);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Journal dispatch round after sequence {Position} failed; it will be retried")]
        public static partial void RoundFailed(ILogger logger, long position, Exception exception);

        [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "The conversation list could not be written ({Error}); it is written again at the next checkpoint, which waits for it")]
        public static partial void ConversationsNotWritten(ILogger logger, string error);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Final checkpoint at sequence {Position} failed; the journal will be replayed from the previous one")]
        public static partial void FinalCheckpointFailed(ILogger logger, long position, Exception exception);
    }

    private static InputFormat InputFormatOf(JournalWireFormat format) => format switch
    {
        JournalWireFormat.Form => InputFormat.Form,
        JournalWireFormat.EventStreams => InputFormat.EventStreams,
        JournalWireFormat.EventsResource => InputFormat.EventsResource,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown journal wire format"),
    };
}

/// <summary>What re-applying the quarantine did: how many records were applied, and those still set aside.</summary>
public sealed record QuarantineReapplyResult(int Applied, IReadOnlyList<QuarantinedRecord> Remaining);
