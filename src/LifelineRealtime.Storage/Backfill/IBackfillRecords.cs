namespace LifelineRealtime.Storage.Backfill;

/// <summary>How a fill ended.</summary>
public enum FillOutcome
{
    /// <summary>Started and not finished: still running, or the engine stopped during it (then read as failed).</summary>
    Running,

    /// <summary>Every page of the period was read and journaled.</summary>
    Ok,

    /// <summary>Some pages were journaled, then a failure stopped it: tried again whole at the next run.</summary>
    Partial,

    /// <summary>Nothing was journaled (credentials refused, TaskRouter unavailable, journal unavailable): tried again at the next run.</summary>
    Failed,

    /// <summary>The period is older than TaskRouter keeps events: reported, never read.</summary>
    Unrecoverable,
}

/// <summary>
/// The reconciliation record of one fill: which platform and period, why, when, what was read and journaled, and
/// how it ended. Times are Unix milliseconds (host clock); the period is [<see cref="FromMs"/>, <see cref="ToMs"/>).
/// </summary>
/// <param name="Id">The record's number, increasing.</param>
/// <param name="PlatformId">The platform whose workspace was read.</param>
/// <param name="Triggers">Why the period was read: <c>start</c>, <c>quiet</c>, <c>retry</c>, <c>manual</c>, comma-separated.</param>
/// <param name="FromMs">The period's start (event time, inclusive).</param>
/// <param name="ToMs">The period's end (event time, exclusive).</param>
/// <param name="StartedMs">When the fill started.</param>
/// <param name="FinishedMs">When it ended (null while running).</param>
/// <param name="Pages">Pages of TaskRouter's Events list read.</param>
/// <param name="Seen">Event resources read: <paramref name="New"/> + <paramref name="Duplicate"/> + <paramref name="Refused"/> + <paramref name="Unparsable"/>.</param>
/// <param name="New">Journaled by this fill: the webhook had not delivered them.</param>
/// <param name="Duplicate">Already journaled (by the webhook, or an earlier fill).</param>
/// <param name="Refused">Parsed but refused by the webhook's own checks (another workspace, an impossible event time).</param>
/// <param name="Unparsable">Not an event the parser can read; counted and logged, never journaled.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it failed or was cut short; null when it was ok.</param>
/// <param name="RetriedBy">The later fill that covered this failed period successfully, if any.</param>
public sealed record FillRecord(
    long Id,
    string PlatformId,
    string Triggers,
    long FromMs,
    long ToMs,
    long StartedMs,
    long? FinishedMs,
    int Pages,
    int Seen,
    int New,
    int Duplicate,
    int Refused,
    int Unparsable,
    FillOutcome Outcome,
    string? Reason,
    long? RetriedBy);

/// <summary>What a fill found, written when it finishes.</summary>
public sealed record FillResult(int Pages, int Seen, int New, int Duplicate, int Refused, int Unparsable, FillOutcome Outcome, string? Reason);

/// <summary>
/// The reconciliation records of backfill, durable beside the journal, and the time up to which each platform's
/// quiet windows were checked. A fill's record is written when it starts and completed when it ends, so a fill the
/// engine never finished is found at the next start and tried again.
/// </summary>
public interface IBackfillRecords
{
    /// <summary>Writes the record of a fill that starts now (outcome <see cref="FillOutcome.Running"/>) and answers it.</summary>
    Task<FillRecord> StartAsync(string platformId, string triggers, long fromMs, long toMs, long startedMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a fill's record; when it was ok, marks the failed fills of the platform whose period it covers as
    /// retried by it (from <paramref name="coveredFromMs"/> when that is earlier than its own start: the part
    /// before was recorded unrecoverable).
    /// </summary>
    Task<FillRecord> FinishAsync(long id, FillResult result, long coveredFromMs, long finishedMs, CancellationToken cancellationToken = default);

    /// <summary>Records a period that can no longer be read (older than TaskRouter keeps events); failed fills wholly inside it are settled by it.</summary>
    Task<FillRecord> UnrecoverableAsync(string platformId, string triggers, long fromMs, long toMs, long atMs, string reason, CancellationToken cancellationToken = default);

    /// <summary>Marks fills left running by an engine that stopped as failed, so they are tried again. Answers how many.</summary>
    Task<int> InterruptedAsync(long atMs, CancellationToken cancellationToken = default);

    /// <summary>Failed and partial fills no later fill has covered: the periods to try again.</summary>
    Task<IReadOnlyList<FillRecord>> PendingAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest records, newest first, optionally of one platform.</summary>
    Task<IReadOnlyList<FillRecord>> RecentAsync(string? platformId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The newest finished record and the newest failed or partial one of each platform.</summary>
    Task<IReadOnlyList<(string PlatformId, FillRecord? Last, FillRecord? LastFailure)>> LatestAsync(CancellationToken cancellationToken = default);

    /// <summary>Until when the platform's quiet windows were checked (null when never).</summary>
    Task<long?> CheckedAsync(string platformId, CancellationToken cancellationToken = default);

    /// <summary>Moves the platform's quiet-window check forward to <paramref name="checkedMs"/> (never back).</summary>
    Task SetCheckedAsync(string platformId, long checkedMs, CancellationToken cancellationToken = default);
}
