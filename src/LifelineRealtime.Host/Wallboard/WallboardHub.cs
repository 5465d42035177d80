using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Access.Kiosk;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.Platforms;
using Microsoft.AspNetCore.SignalR;

namespace LifelineRealtime.Host.Wallboard;

/// <summary>
/// <c>/hubs/wallboard</c> (design §7): <c>Subscribe(platformId, scope, id, window)</c> sends the caller a
/// <c>Snapshot</c>, then <c>Updated</c>, <c>LiveChanged</c> and <c>Alert</c> as the scope changes, at most once
/// a second. <c>Unsubscribe</c> and disconnecting release the subscription.
/// </summary>
public sealed class WallboardHub(
    PlatformCatalog platforms,
    IScopeAccess access,
    WallboardSubscriptions subscriptions,
    HubInstruments instruments,
    KioskTokens kiosks,
    KioskConnections kioskConnections,
    AuditTrail audit) : Hub<IWallboardClient>
{
    /// <summary>Longest scope id accepted (Sids are 34 characters; team names are short).</summary>
    public const int MaxIdLength = 256;

    public override async Task OnConnectedAsync()
    {
        instruments.Connected();
        if (Context.User is { } user && KioskScope.Of(user) is { } kiosk)
        {
            // Registered before the check, so a revocation between the two closes it either way.
            kioskConnections.Opened(kiosk.TokenId, Context.ConnectionId, Context.Abort);
            if (!await kiosks.IsUsableAsync(kiosk.TokenId, Context.ConnectionAborted))
            {
                Context.Abort();
            }
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        instruments.Disconnected();
        if (Context.User is { } user && KioskScope.Of(user) is { } kiosk)
        {
            kioskConnections.Closed(kiosk.TokenId, Context.ConnectionId);
        }

        await subscriptions.DisconnectedAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    public async Task Subscribe(string platformId, string scope, string id, string window)
    {
        var key = Validate(platformId, scope, id, window);
        var user = Context.User ?? new();
        if (!await access.CanSeePlatformAsync(user, platformId, Context.ConnectionAborted))
        {
            // As if it did not exist (design §8).
            throw new HubException($"Unknown platform '{platformId}'.");
        }

        if (!await access.CanReadAsync(user, key, Context.ConnectionAborted))
        {
            if (key.Kind == ScopeKind.Worker)
            {
                await audit.RecordAsync(user, AuditActions.AccessDenied, $"{key.PlatformId}/worker/{key.Id}", "denied", "wallboard hub");
            }

            throw new HubException($"Not allowed to read {scope} '{key.Id}' on platform '{platformId}'.");
        }

        await subscriptions.SubscribeAsync(Context.ConnectionId, key.ToGrainKey(), window, Context.ConnectionAborted);
    }

    public Task Unsubscribe(string platformId, string scope, string id, string window)
    {
        var key = Validate(platformId, scope, id, window);
        return subscriptions.UnsubscribeAsync(Context.ConnectionId, key.ToGrainKey(), window, Context.ConnectionAborted);
    }

    /// <summary>Every argument checked before any grain is touched; the message names the bad value.</summary>
    private StatsKey Validate(string platformId, string scope, string id, string window)
    {
        if (string.IsNullOrEmpty(platformId) || !platforms.TryGet(platformId, out _))
        {
            throw new HubException($"Unknown platform '{platformId}'.");
        }

        if (!ScopeKinds.TryParse(scope, out var kind))
        {
            throw new HubException($"Unknown scope '{scope}': expected platform, queue, team or worker.");
        }

        if (kind == ScopeKind.Platform)
        {
            if (!string.IsNullOrEmpty(id) && id != platformId)
            {
                throw new HubException($"The platform scope's id must be the platform id '{platformId}' (or empty), not '{id}'.");
            }

            id = platformId;
        }
        else if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            throw new HubException($"The {scope} id must be 1 to {MaxIdLength} characters.");
        }

        if (string.IsNullOrEmpty(window))
        {
            throw new HubException("A window is required (15m, 1h, today, day:YYYY-MM-DD, week:YYYY-Www, month:YYYY-MM or range:…).");
        }

        if (!MetricWindow.TryParse(window, out _, out var error))
        {
            throw new HubException($"Bad window '{window}': {error}");
        }

        return new StatsKey(platformId, kind, id);
    }
}
