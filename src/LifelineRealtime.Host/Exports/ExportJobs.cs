using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;

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

/// <summary><c>GET /api/admin/exports/{id}</c>: an export's progress (partitions are table × platform × day).</summary>
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
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>One queued export: days of platforms, and the tables of each.</summary>
public sealed class ExportJob
{
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
            0, days.Length * tables.Length, null, queuedAt, null, null);
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

    internal void Update(Func<ExportStatus, ExportStatus> change)
    {
        lock (_lock)
        {
            _status = change(_status);
        }

        if (Status.State is ExportState.Succeeded or ExportState.Failed or ExportState.Canceled)
        {
            _completion.TrySetResult();
        }
    }
}

/// <summary>
/// Runs exports one at a time, in the order queued (two exports never write one partition at once, and a backfill of
/// months does not take every core): a background service reading a queue.
/// </summary>
public sealed class ExportQueue(PartitionExporter exporter, TimeProvider time, ILogger<ExportQueue> logger) : BackgroundService
{
    private const int Kept = 200;
    private readonly Channel<ExportJob> _queue = Channel.CreateUnbounded<ExportJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, ExportJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public ExportJob Enqueue(string trigger, IEnumerable<(string PlatformId, DateOnly Day)> days, IEnumerable<string> tables)
    {
        var job = new ExportJob(trigger, [.. days], [.. tables], time.GetUtcNow());
        _jobs[job.Id] = job;
        _order.Enqueue(job.Id);
        while (_order.Count > Kept && _order.TryDequeue(out var old))
        {
            _jobs.TryRemove(old, out _);
        }

        ExportLog.Queued(logger, job.Id, trigger, job.Status.PartitionsTotal, job.Status.From, job.Status.To);
        if (!_queue.Writer.TryWrite(job))
        {
            job.Update(s => s with { State = ExportState.Canceled, Error = "the engine is stopping", FinishedAt = time.GetUtcNow() });
        }

        return job;
    }

    public ExportJob? Find(string id) => _jobs.GetValueOrDefault(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
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
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Update(s => s with { State = ExportState.Canceled, Error = "the engine stopped", FinishedAt = time.GetUtcNow() });
            }
        }
    }

    /// <summary>Runs one job to its end (also used directly by tests and the scheduler's first round).</summary>
    internal async Task RunAsync(ExportJob job, CancellationToken cancellationToken)
    {
        job.Update(s => s with { State = ExportState.Running, StartedAt = time.GetUtcNow() });
        try
        {
            foreach (var (platformId, day) in job.Days)
            {
                await exporter.ExportDayAsync(platformId, day, job.Tables, _ => job.Update(s => s with { PartitionsDone = s.PartitionsDone + 1 }), cancellationToken);
            }

            job.Update(s => s with { State = ExportState.Succeeded, FinishedAt = time.GetUtcNow() });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            job.Update(s => s with { State = ExportState.Canceled, Error = "the engine stopped", FinishedAt = time.GetUtcNow() });
            throw;
        }
        catch (Exception e)
        {
            ExportLog.JobFailed(logger, job.Id, job.Status.PartitionsDone, job.Status.PartitionsTotal, e);
            job.Update(s => s with { State = ExportState.Failed, Error = $"{e.GetType().Name}: {e.Message}", FinishedAt = time.GetUtcNow() });
            return;
        }

        var done = job.Status;
        ExportLog.Finished(logger, job.Id, done.State, done.PartitionsDone, done.PartitionsTotal);
    }
}
