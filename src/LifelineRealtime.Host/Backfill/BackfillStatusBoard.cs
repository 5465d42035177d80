using LifelineRealtime.Storage.Backfill;

namespace LifelineRealtime.Host.Backfill;

/// <summary>A fill's record as the API shows it: instants in UTC, the outcome by name.</summary>
public sealed record FillView(
    long Id,
    string Platform,
    string Triggers,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    int Pages,
    int Seen,
    int New,
    int Duplicate,
    int Refused,
    int Unparsable,
    string Outcome,
    string? Reason,
    long? RetriedBy)
{
    public static FillView Of(FillRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.PlatformId, r.Triggers, At(r.FromMs), At(r.ToMs), At(r.StartedMs), r.FinishedMs is { } f ? At(f) : null,
            r.Pages, r.Seen, r.New, r.Duplicate, r.Refused, r.Unparsable, SqliteBackfillRecords.Name(r.Outcome), r.Reason, r.RetriedBy);
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>One platform's last fill, and its last failed or partial one, for <c>/status</c>.</summary>
public sealed record PlatformBackfillStatus(string Platform, FillView? LastFill, FillView? LastFailure);

/// <summary>Backfill in <c>/status</c>: whether it runs on start and on the schedule, and each platform's last fill.</summary>
public sealed record BackfillStatus(bool Enabled, IReadOnlyList<PlatformBackfillStatus> Platforms);

/// <summary>
/// Each platform's last fill and last failure, loaded once from the records and then kept as fills finish, so
/// <c>/status</c> (polled often) does not read the database.
/// </summary>
public sealed class BackfillStatusBoard(IBackfillRecords records)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (FillRecord? Last, FillRecord? LastFailure)> _latest = new(StringComparer.Ordinal);
    private Task? _loaded;

    /// <summary>Whether fills run on start and on the schedule (set by the service when it starts).</summary>
    public bool Enabled { get; set; }

    public async Task<BackfillStatus> SnapshotAsync(CancellationToken cancellationToken)
    {
        var loading = Volatile.Read(ref _loaded);
        if (loading is null)
        {
            var mine = LoadAsync();
            loading = Interlocked.CompareExchange(ref _loaded, mine, null) ?? mine;
        }

        try
        {
            await loading.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The records could not be read (the journal file is failing, which /status shows already): try again next time.
            _ = Interlocked.CompareExchange(ref _loaded, null, loading);
        }

        lock (_gate)
        {
            return new BackfillStatus(Enabled, [.. _latest.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new PlatformBackfillStatus(p.Key, p.Value.Last is { } l ? FillView.Of(l) : null, p.Value.LastFailure is { } f ? FillView.Of(f) : null))]);
        }
    }

    public void Finished(FillRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Merge(record.PlatformId, (record, record.Outcome is FillOutcome.Failed or FillOutcome.Partial ? record : null));
    }

    private async Task LoadAsync()
    {
        foreach (var (platform, last, failure) in await records.LatestAsync())
        {
            Merge(platform, (last, failure));
        }
    }

    /// <summary>Keeps the newer of each (a fill that finished while loading is newer than what was read).</summary>
    private void Merge(string platform, (FillRecord? Last, FillRecord? LastFailure) update)
    {
        lock (_gate)
        {
            var old = _latest.GetValueOrDefault(platform);
            _latest[platform] = (Newer(old.Last, update.Last), Newer(old.LastFailure, update.LastFailure));
        }
    }

    private static FillRecord? Newer(FillRecord? a, FillRecord? b) => a is null ? b : b is null ? a : b.Id >= a.Id ? b : a;
}
