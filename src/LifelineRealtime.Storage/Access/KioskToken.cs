namespace LifelineRealtime.Storage.Access;

/// <summary>
/// A wallboard's read-only credential for one scope, as stored: the secret's SHA-256 only, never the secret.
/// </summary>
/// <param name="Id">Public id (also the token's prefix), 16 hex characters.</param>
/// <param name="SecretHash">SHA-256 of the token's secret part.</param>
/// <param name="Label">Where the screen is, as the admin named it.</param>
/// <param name="PlatformId">The platform of its scope.</param>
/// <param name="ScopeKind"><c>platform</c>, <c>team</c> or <c>queue</c>.</param>
/// <param name="ScopeId">The platform id, team name or TaskQueueSid.</param>
/// <param name="IssuedMs">When it was issued (Unix ms).</param>
/// <param name="IssuedBy">The admin who issued it.</param>
/// <param name="ExpiresMs">When it stops working, or null for never.</param>
/// <param name="RevokedMs">When it was revoked, or null.</param>
/// <param name="RevokedBy">Who revoked it, or null.</param>
public sealed record KioskToken(
    string Id,
    byte[] SecretHash,
    string Label,
    string PlatformId,
    string ScopeKind,
    string ScopeId,
    long IssuedMs,
    string IssuedBy,
    long? ExpiresMs,
    long? RevokedMs,
    string? RevokedBy)
{
    public bool IsUsableAt(long nowMs) => RevokedMs is null && (ExpiresMs is null || nowMs < ExpiresMs);
}

/// <summary>The kiosk tokens issued, durable. Few rows: a screen each.</summary>
public interface IKioskTokenStore
{
    Task AddAsync(KioskToken token, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<KioskToken>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks the token revoked; false when there is no such token or it was revoked already.</summary>
    Task<bool> RevokeAsync(string id, long revokedMs, string revokedBy, CancellationToken cancellationToken = default);
}
