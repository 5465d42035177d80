using LifelineRealtime.Domain.Conversations;

namespace LifelineRealtime.Storage.Conversations;

/// <summary>
/// The conversation list's read model: one record per task, kept by the dispatcher from the task grains' answers,
/// so it is rebuilt from the journal like every other read model (a replay upserts the same records again).
/// </summary>
public interface IConversationStore
{
    /// <summary>Inserts or replaces records by platform and task Sid. A row keeps the order key it was first stored
    /// with (<see cref="ConversationRow.SortMs"/>), so paging never skips or repeats a row whose record changes.</summary>
    Task UpsertAsync(IReadOnlyCollection<ConversationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Newest first by <see cref="ConversationRow.SortMs"/> then task Sid, after the cursor, at most <see cref="ConversationQuery.Limit"/>.</summary>
    Task<IReadOnlyList<ConversationRow>> QueryAsync(ConversationQuery query, CancellationToken cancellationToken = default);

    Task<ConversationRow?> GetAsync(string platformId, string taskSid, CancellationToken cancellationToken = default);
}

/// <summary>A stored record and its order key: when the task was created, as first known (Unix ms).</summary>
public sealed record ConversationRow(long SortMs, ConversationRecord Record);

/// <summary>Where a page of the list starts: after this row (exclusive).</summary>
public readonly record struct ConversationPosition(long SortMs, string TaskSid);

/// <summary>
/// One page of one platform's list. <see cref="FromMs"/>..<see cref="ToMs"/> is [from, to) on the order key;
/// <see cref="Teams"/> null means every team (a team leader's query names theirs); <see cref="Worker"/> matches the
/// accepting ISS or one transferred to; <see cref="Sid"/> a task, conversation or call Sid exactly.
/// </summary>
public sealed record ConversationQuery(
    string PlatformId,
    long FromMs,
    long ToMs,
    int Limit,
    ConversationPosition? After = null,
    IReadOnlyCollection<string>? Teams = null,
    string? Worker = null,
    string? SupportType = null,
    ConversationOutcome? Outcome = null,
    string? Sid = null);
