using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using LifelineRealtime.Storage.Exports;

namespace LifelineRealtime.Host.Exports;

/// <summary>How far an export has got (JSON: queued, running, succeeded, failed, canceled).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ExportStateJson))]
public enum ExportState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}

/// <summary>Export states in JSON as lower-case words.</summary>
public sealed class ExportStateJson() : System.Text.Json.Serialization.JsonStringEnumConverter<ExportState>(System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

/// <summary>
/// <c>GET /api/admin/exports/{id}</c>: an export's progress (partitions are table × platform × day). Attempts is how
/// many times it has started: more than 1 when the engine stopped or died during it and the next start ran it again.
/// </summary>
public sealed record ExportStatus(
    string Id,
    ExportState State,
    string Trigger,
    string From,
    string To,
    ImmutableArray<string> Platforms,
    ImmutableArray<string> Tables,
    int PartitionsDone,
    int PartitionsTotal,
    string? Error,
    int Attempts,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>One platform's local day of an export.</summary>
public sealed record ExportDay(string Platform, DateOnly Date);

/// <summary>One queued export: days of platforms, and the tables of each.</summary>
public sealed class ExportJob
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private ExportStatus _status;

    public ExportJob(string trigger, ImmutableArray<(string PlatformId, DateOnly Day)> days, ImmutableArray<string> tables, DateTimeOffset queuedAt)
    {
        Id = Guid.NewGuid().ToString("N")[..16];
        Days = days;
        Tables = tables;
        var from = days.IsEmpty ? "" : $"{days.Min(d => d.Day):yyyy-MM-dd}";
        var to = days.IsEmpty ? "" : $"{days.Max(d => d.Day):yyyy-MM-dd}";
        _status = new ExportStatus(Id, ExportState.Queued, trigger, from, to, [.. days.Select(d => d.PlatformId).Distinct().Order(StringComparer.Ordinal)], tables,
            0, days.Length * tables.Length, null, 0, queuedAt, null, null);
    }

    private ExportJob(ExportStatus status, ImmutableArray<(string PlatformId, DateOnly Day)> days)
    {
        Id = status.Id;
        Days = days;
        Tables = status.Tables;
        _status = status;
        if (Finished(status.State))
        {
            _completion.TrySetResult();
        }
    }

    public string Id { get; }

    public ImmutableArray<(string PlatformId, DateOnly Day)> Days { get; }

    public ImmutableArray<string> Tables { get; }

    public ExportStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Completes when the export has ended, however it ended.</summary>
    public Task Completion => _completion.Task;

    public static bool Finished(ExportState state) => state is ExportState.Succeeded or ExportState.Failed or ExportState.Canceled;

    /// <summary>The job as stored: its status and its days.</summary>
    public StoredExportJob ToStored()
    {
        var status = Status;
        var document = JsonSerializer.Serialize(new Document(status, [.. Days.Select(d => new ExportDay(d.PlatformId, d.Day))]), Json);
        return new StoredExportJob(Id, status.QueuedAt.ToUnixTimeMilliseconds(), Finished(status.State), document);
    }

    /// <summary>A job read back from the store.</summary>
    public static ExportJob FromStored(StoredExportJob stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var document = JsonSerializer.Deserialize<Document>(stored.Document, Json);
        if (document?.Status is null || document.Days.IsDefault || document.Status.Tables.IsDefault || document.Status.Platforms.IsDefault)
        {
            throw new InvalidDataException($"export {stored.Id} is stored without its status or days");
        }

        return new ExportJob(document.Status, [.. document.Days.Select(d => (d.Platform, d.Date))]);
    }

    internal void Update(Func<ExportStatus, ExportStatus> change)
    {
        lock (_lock)
        {
            _status = change(_status);
        }

        if (Finished(Status.State))
        {
            _completion.TrySetResult();
        }
    }

    private sealed record Document(ExportStatus Status, ImmutableArray<ExportDay> Days);
}

/// <summary>
/// Runs exports one at a time, in the order queued (two exports never write one partition at once, and a backfill of
/// months does not take every core): a background service reading a queue. Every job and its progress is stored
/// (<see cref="IExportJobStore"/>), so its status outlives a restart, and a job that was queued or running when the
/// engine stopped or died runs again, from its start, when the engine starts; one that was running at
/// <see cref="MaxAttempts"/> deaths is failed instead of taking the engine down once more.
/// </summary>
public sealed class ExportQueue(PartitionExporter exporter, IExportJobStore store, ExportSinks sinks, TimeProvider time, ILogger<ExportQueue> logger) : BackgroundService
{
    /// <summary>Starts of one job, counting the one the engine died during, before it is failed rather than run again.</summary>
    public const int MaxAttempts = 3;

    private const int Kept = 200;
    private readonly Channel<ExportJob> _queue = Channel.CreateUnbounded<ExportJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, ExportJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public async Task<ExportJob> EnqueueAsync(string trigger, IEnumerable<(string PlatformId, DateOnly Day)> days, IEnumerable<string> tables, CancellationToken cancellationToken = default)
    {
        var job = new ExportJob(trigger, [.. days], [.. tables], time.GetUtcNow());
        await store.SaveAsync(job.ToStored(), cancellationToken);
        Remember(job);
        ExportLog.Queued(logger, job.Id, trigger, job.Status.PartitionsTotal, job.Status.From, job.Status.To);
        if (!_queue.Writer.TryWrite(job))
        {
            // Stopping: the job stays queued in the store and runs at the next start.
            job.Update(s => s with { Error = "the engine is stopping; the export runs when it starts again" });
        }

        return job;
    }

    /// <summary>A job by id: one of this run's, or one stored by an earlier run.</summary>
    public async Task<ExportJob?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_jobs.TryGetValue(id, out var job))
        {
            return job;
        }

        if (await store.GetAsync(id, cancellationToken) is not { } stored)
        {
            return null;
        }

        try
        {
            return ExportJob.FromStored(stored);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            ExportLog.JobUnreadable(logger, id, e);
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ResumeWhenStoredAsync(stoppingToken);
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Jobs left in the queue stay queued in the store: the next start runs them.
            _queue.Writer.TryComplete();
        }
    }

    /// <summary>Runs one job to its end (also used directly by tests and the scheduler's first round).</summary>
    internal async Task RunAsync(ExportJob job, CancellationToken cancellationToken)
    {
        await UpdateAsync(job, s => s with { State = ExportState.Running, PartitionsDone = 0, Error = null, Attempts = s.Attempts + 1, StartedAt = time.GetUtcNow() });
        try
        {
            foreach (var (platformId, day) in job.Days)
            {
                await exporter.ExportDayAsync(platformId, day, job.Tables, _ => job.Update(s => s with { PartitionsDone = s.PartitionsDone + 1 }), cancellationToken);
                await SaveAsync(job);
            }

            await UpdateAsync(job, s => s with { State = ExportState.Succeeded, FinishedAt = time.GetUtcNow() });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop, not a failure: stored as queued, so the next start runs it again (and the attempt is not counted).
            await UpdateAsync(job, s => s with { State = ExportState.Queued, Attempts = s.Attempts - 1, Error = "the engine stopped during the export; it runs again when the engine starts" });
            throw;
        }
        catch (Exception e)
        {
            ExportLog.JobFailed(logger, job.Id, job.Status.PartitionsDone, job.Status.PartitionsTotal, e);
            await UpdateAsync(job, s => s with { State = ExportState.Failed, Error = $"{e.GetType().Name}: {e.Message}", FinishedAt = time.GetUtcNow() });
            return;
        }

        var done = job.Status;
        ExportLog.Finished(logger, job.Id, done.State, done.PartitionsDone, done.PartitionsTotal);
    }

    /// <summary>
    /// <see cref="ResumeAsync"/>, tried again (1 s, doubling to 30 s) while the store or the sink cannot be read: a
    /// journal that cannot be opened yet recovers by itself, and must not take the engine down with it.
    /// </summary>
    private async Task ResumeWhenStoredAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await ResumeAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                ExportLog.ResumeFailed(logger, delay.TotalSeconds, e);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>
    /// At start: puts back any partition a swap left aside, then queues again the jobs an earlier run did not finish,
    /// in their order; a job the engine died during <see cref="MaxAttempts"/> times is failed.
    /// </summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var sink in new[] { sinks.Pseudonymous, sinks.FullAccess }.OfType<IExportSink>())
        {
            await sink.RecoverAsync(cancellationToken);
        }

        foreach (var stored in await store.UnfinishedAsync(cancellationToken))
        {
            ExportJob job;
            try
            {
                job = ExportJob.FromStored(stored);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
            {
                // Written by a version whose form this one cannot read: never run, and not looked at again.
                ExportLog.JobUnreadable(logger, stored.Id, e);
                await store.SaveAsync(stored with { Finished = true }, cancellationToken);
                continue;
            }

            Remember(job);
            var status = job.Status;
            if (status.State == ExportState.Running && status.Attempts >= MaxAttempts)
            {
                ExportLog.JobAbandoned(logger, job.Id, status.Attempts);
                await UpdateAsync(job, s => s with
                {
                    State = ExportState.Failed,
                    Error = $"the engine stopped or died during this export {s.Attempts} times; it is not run again (see the logs of those runs)",
                    FinishedAt = time.GetUtcNow(),
                });
                continue;
            }

            ExportLog.JobResumed(logger, job.Id, status.State, status.Attempts, status.PartitionsTotal);
            await UpdateAsync(job, s => s with { State = ExportState.Queued, PartitionsDone = 0 });
            _queue.Writer.TryWrite(job);
        }
    }

    private void Remember(ExportJob job)
    {
        _jobs[job.Id] = job;
        _order.Enqueue(job.Id);
        while (_order.Count > Kept && _order.TryDequeue(out var old))
        {
            _jobs.TryRemove(old, out _);
        }
    }

    private async Task UpdateAsync(ExportJob job, Func<ExportStatus, ExportStatus> change)
    {
        job.Update(change);
        await SaveAsync(job);
    }

    /// <summary>Stores a job's progress; a store that cannot be written is logged, and the export goes on.</summary>
    private async Task SaveAsync(ExportJob job)
    {
        try
        {
            await store.SaveAsync(job.ToStored(), CancellationToken.None);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
        {
            ExportLog.StatusNotSaved(logger, job.Id, e);
        }
    }
}
