namespace LifelineRealtime.Storage.Exports;

/// <summary>
/// Export jobs kept across restarts: their progress for <c>GET /api/admin/exports/{id}</c>, and the jobs still to run
/// (queued, or running when the engine stopped or died) for the next start to run.
/// </summary>
public interface IExportJobStore
{
    /// <summary>Stores a job, replacing its earlier state; the oldest finished jobs beyond <see cref="SqliteExportJobStore.Kept"/> are let go.</summary>
    Task SaveAsync(StoredExportJob job, CancellationToken cancellationToken = default);

    /// <summary>A job by id, or null when it is not known.</summary>
    Task<StoredExportJob?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The jobs not finished, in the order they were queued.</summary>
    Task<IReadOnlyList<StoredExportJob>> UnfinishedAsync(CancellationToken cancellationToken = default);
}

/// <summary>One export job as stored.</summary>
/// <param name="Id">Its id.</param>
/// <param name="QueuedMs">When it was queued (Unix ms). Jobs run in the order they were first saved.</param>
/// <param name="Finished">Succeeded, failed or canceled: never run again.</param>
/// <param name="Document">The job's days, tables and progress, as its owner serializes them (JSON).</param>
public sealed record StoredExportJob(string Id, long QueuedMs, bool Finished, string Document);
