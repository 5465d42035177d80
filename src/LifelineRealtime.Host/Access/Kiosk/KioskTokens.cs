using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Storage.Access;

namespace LifelineRealtime.Host.Access.Kiosk;

/// <summary>A kiosk token as issued: the only time its secret is seen.</summary>
/// <param name="Token">The credential to give the screen (<c>llk_&lt;id&gt;_&lt;secret&gt;</c>).</param>
/// <param name="Info">What it is for, as it will be listed.</param>
public sealed record IssuedKioskToken(string Token, KioskTokenInfo Info);

/// <summary>A kiosk token as listed: never its secret nor its hash.</summary>
public sealed record KioskTokenInfo(
    string Id, string Label, string PlatformId, string Scope, string ScopeId,
    DateTimeOffset IssuedAt, string IssuedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedBy, bool Usable)
{
    public static KioskTokenInfo Of(KioskToken token, long nowMs) => new(
        token.Id, token.Label, token.PlatformId, token.ScopeKind, token.ScopeId,
        DateTimeOffset.FromUnixTimeMilliseconds(token.IssuedMs), token.IssuedBy,
        token.ExpiresMs is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
        token.RevokedMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
        token.RevokedBy, token.IsUsableAt(nowMs));
}

/// <summary>
/// Issues, checks and revokes kiosk tokens (design §8): one read-only scope each, shown once, stored as the
/// SHA-256 of a 256-bit secret (a secret that long needs no slow hash), revocable at once. The tokens are few,
/// so all of them are held in memory after the first use and every change is written through; a revocation
/// also closes the hub connections the token opened.
/// </summary>
public sealed class KioskTokens(IKioskTokenStore store, TimeProvider time, KioskConnections connections) : IDisposable
{
    /// <summary>What every kiosk token starts with, so it is recognised without trying other schemes.</summary>
    public const string Prefix = "llk_";

    /// <summary>Scopes a kiosk may be issued for: a wall shows a platform, a team or a queue.</summary>
    public static readonly IReadOnlyList<ScopeKind> Kinds = [ScopeKind.Platform, ScopeKind.Team, ScopeKind.Queue];

    private readonly SemaphoreSlim _load = new(1, 1);
    private ConcurrentDictionary<string, KioskToken>? _tokens;

    public void Dispose() => _load.Dispose();

    public static bool LooksLikeKioskToken(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task<IssuedKioskToken> IssueAsync(string label, StatsKey scope, DateTimeOffset? expiresAt, string issuedBy, CancellationToken cancellationToken)
    {
        var tokens = await LoadAsync(cancellationToken);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new KioskToken(
            id, Hash(secret), label, scope.PlatformId, ScopeKinds.Name(scope.Kind), scope.Id,
            time.GetUtcNow().ToUnixTimeMilliseconds(), issuedBy, expiresAt?.ToUnixTimeMilliseconds(), null, null);
        await store.AddAsync(token, cancellationToken);
        tokens[id] = token;
        return new IssuedKioskToken($"{Prefix}{id}_{secret}", KioskTokenInfo.Of(token, token.IssuedMs));
    }

    public async Task<IReadOnlyList<KioskTokenInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var tokens = await LoadAsync(cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return [.. tokens.Values.OrderBy(t => t.IssuedMs).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => KioskTokenInfo.Of(t, now))];
    }

    /// <summary>Revokes the token and closes its open hub connections; false when there is no usable such token.</summary>
    public async Task<bool> RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        var tokens = await LoadAsync(cancellationToken);
        if (!tokens.TryGetValue(id, out var token) || token.RevokedMs is not null)
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var revoked = await store.RevokeAsync(id, now, revokedBy, cancellationToken);
        tokens[id] = token with { RevokedMs = now, RevokedBy = revokedBy };
        connections.Close(id);
        return revoked;
    }

    /// <summary>The token a presented credential stands for, when it is one of ours and usable now; else null.</summary>
    public async Task<KioskToken?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        var tokens = await LoadAsync(cancellationToken);
        return tokens.TryGetValue(id, out var token)
            && CryptographicOperations.FixedTimeEquals(token.SecretHash, Hash(secret))
            && token.IsUsableAt(time.GetUtcNow().ToUnixTimeMilliseconds())
            ? token
            : null;
    }

    /// <summary>Whether the token with this id may still be used (a session or hub connection made with it asks on every request).</summary>
    public async Task<bool> IsUsableAsync(string id, CancellationToken cancellationToken)
    {
        var tokens = await LoadAsync(cancellationToken);
        return tokens.TryGetValue(id, out var token) && token.IsUsableAt(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private static bool TryParse(string presented, out string id, out string secret)
    {
        id = secret = "";
        if (!LooksLikeKioskToken(presented))
        {
            return false;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != 16 || rest.Length - separator - 1 != 43)
        {
            return false;
        }

        id = rest[..separator].ToString();
        secret = rest[(separator + 1)..].ToString();
        return true;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<ConcurrentDictionary<string, KioskToken>> LoadAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tokens) is { } loaded)
        {
            return loaded;
        }

        await _load.WaitAsync(cancellationToken);
        try
        {
            if (_tokens is null)
            {
                var all = await store.ListAsync(cancellationToken);
                Volatile.Write(ref _tokens, new ConcurrentDictionary<string, KioskToken>(all.ToDictionary(t => t.Id, StringComparer.Ordinal), StringComparer.Ordinal));
            }

            return _tokens!;
        }
        finally
        {
            _load.Release();
        }
    }
}

/// <summary>The hub connections each kiosk token has open, so that revoking it closes them at once.</summary>
public sealed class KioskConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Action>> _byToken = new(StringComparer.Ordinal);

    public void Opened(string tokenId, string connectionId, Action abort) =>
        _byToken.GetOrAdd(tokenId, _ => new ConcurrentDictionary<string, Action>(StringComparer.Ordinal))[connectionId] = abort;

    public void Closed(string tokenId, string connectionId)
    {
        if (_byToken.TryGetValue(tokenId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
    }

    /// <summary>Aborts every connection the token opened; answers how many.</summary>
    public int Close(string tokenId)
    {
        if (!_byToken.TryRemove(tokenId, out var connections))
        {
            return 0;
        }

        foreach (var abort in connections.Values)
        {
            abort();
        }

        return connections.Count;
    }

    public int OpenCount(string tokenId) => _byToken.TryGetValue(tokenId, out var connections) ? connections.Count : 0;
}
