namespace LifelineRealtime.Storage.Access;

/// <summary>One line of the audit log: who did what, when, to what, and how it ended.</summary>
/// <param name="Id">Ascending, assigned by the log.</param>
/// <param name="AtMs">When, Unix milliseconds (UTC).</param>
/// <param name="Actor">Who: the signed-in subject, <c>kiosk:&lt;id&gt;</c>, or <c>anonymous</c>.</param>
/// <param name="Action">What (<see cref="AuditActions"/>).</param>
/// <param name="Target">What it was done to (a scope, a kiosk token id, a conversation), when there is one.</param>
/// <param name="Outcome"><c>allowed</c>, <c>denied</c>, <c>ok</c> or <c>failed</c>.</param>
/// <param name="Detail">A short human-readable note; never a secret or a token.</param>
public sealed record AuditEntry(long Id, long AtMs, string Actor, string Action, string? Target, string Outcome, string? Detail);

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string KioskIssued = "kiosk.issued";
    public const string KioskRevoked = "kiosk.revoked";
    public const string KioskSignIn = "kiosk.sign-in";
    public const string TranscriptViewed = "transcript.viewed";
    public const string ConversationsListed = "conversations.listed";
    public const string ConversationViewed = "conversation.viewed";
    public const string TaskViewed = "task.viewed";

    /// <summary>An admin asked TaskRouter to cancel a task (every attempt, its outcome beside it).</summary>
    public const string TaskCanceled = "task.canceled";

    /// <summary>An admin asked TaskRouter to complete a task (every attempt, its outcome beside it).</summary>
    public const string TaskCompleted = "task.completed";
    public const string AdminAction = "admin.action";
    public const string AccessDenied = "access.denied";
}

/// <summary>A filter over the audit log; every part optional. <paramref name="AfterId"/> pages on.</summary>
public sealed record AuditQuery(long? FromMs = null, long? ToMs = null, string? Actor = null, string? Action = null, long AfterId = 0, int Limit = 500);

/// <summary>
/// The durable, append-only audit log (design §8): there is no way to change or remove a line through it,
/// and the embedded store refuses updates and deletes in the database itself.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends one line (its <see cref="AuditEntry.Id"/> is ignored) and answers it as stored.</summary>
    Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The lines matching <paramref name="query"/>, oldest first, at most its limit.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
