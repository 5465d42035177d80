using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Wallboard;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Grains.Wallboard;
using Microsoft.AspNetCore.SignalR;

namespace LifelineRealtime.Host.Wallboard;

/// <summary>
/// The hub side of one silo: joins connections to one SignalR group per scope and window (metrics) and one
/// per scope (live state and alerts), holds one subscription per scope and window at that scope's push
/// grain for all of them, and forwards what the push grains send (as this silo's single grain observer)
/// to its groups. Leases are renewed in the background, so a silo that disappears is forgotten.
/// </summary>
public sealed partial class WallboardSubscriptions(
    IGrainFactory grains,
    IHubContext<WallboardHub, IWallboardClient> hub,
    HubInstruments instruments,
    TimeProvider time,
    ILogger<WallboardSubscriptions> logger) : BackgroundService, IWallboardObserver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Scope, string Window), MetricsGroup> _groups = [];
    private readonly Dictionary<string, HashSet<(string Scope, string Window)>> _connections = new(StringComparer.Ordinal);
    private IWallboardObserver? _reference;

    public static string MetricsGroupName(string scopeKey, string window) => $"m|{window}|{scopeKey}";

    public static string ScopeGroupName(string scopeKey) => $"s|{scopeKey}";

    /// <summary>
    /// Subscribes a connection and sends it the snapshot, the live state and the raised alerts, in that order.
    /// A push forwarded while the snapshot is on its way is held back from this connection and, when newer,
    /// sent as the snapshot instead, so the connection never sees an update before its snapshot.
    /// </summary>
    public async Task SubscribeAsync(string connectionId, string scopeKey, string window, CancellationToken cancellationToken)
    {
        MetricsGroup group;
        bool added;
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var subscriptions))
            {
                _connections[connectionId] = subscriptions = [];
            }

            added = subscriptions.Add((scopeKey, window));
            if (!_groups.TryGetValue((scopeKey, window), out group!))
            {
                _groups[(scopeKey, window)] = group = new MetricsGroup();
            }

            if (added)
            {
                group.Members++;
            }
        }

        if (added)
        {
            instruments.Subscribed();
        }

        await group.Gate.WaitAsync(cancellationToken);
        try
        {
            group.Pending.Add(connectionId);
        }
        finally
        {
            group.Gate.Release();
        }

        WallboardSubscription first;
        try
        {
            await hub.Groups.AddToGroupAsync(connectionId, MetricsGroupName(scopeKey, window), cancellationToken);
            await hub.Groups.AddToGroupAsync(connectionId, ScopeGroupName(scopeKey), cancellationToken);
            first = await grains.GetGrain<IWallboardPushGrain>(scopeKey).SubscribeAsync(Reference(), window);
        }
        catch
        {
            // Leave nothing half done: the caller sees the failure and may subscribe again.
            await group.Gate.WaitAsync(CancellationToken.None);
            group.Pending.Remove(connectionId);
            group.Gate.Release();
            await UnsubscribeAsync(connectionId, scopeKey, window, CancellationToken.None);
            throw;
        }

        var client = hub.Clients.Client(connectionId);
        await group.Gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = group.HeldBack is { } held && held.Revision > first.Revision ? held.Snapshot : first.Metrics;
            await client.Snapshot(snapshot);
            instruments.Pushed("snapshot");
            group.Pending.Remove(connectionId);
            if (group.Pending.Count == 0)
            {
                group.HeldBack = null;
            }
        }
        finally
        {
            group.Gate.Release();
        }

        await client.LiveChanged(first.Live);
        instruments.Pushed("live");
        foreach (var alert in first.ActiveAlerts)
        {
            await client.Alert(alert);
            instruments.Pushed("alert");
        }
    }

    public async Task UnsubscribeAsync(string connectionId, string scopeKey, string window, CancellationToken cancellationToken)
    {
        bool removed, leaveScope;
        lock (_lock)
        {
            removed = _connections.TryGetValue(connectionId, out var subscriptions) && subscriptions.Remove((scopeKey, window));
            leaveScope = subscriptions is null || !subscriptions.Any(s => s.Scope == scopeKey);
        }

        await hub.Groups.RemoveFromGroupAsync(connectionId, MetricsGroupName(scopeKey, window), cancellationToken);
        if (leaveScope)
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, ScopeGroupName(scopeKey), cancellationToken);
        }

        if (removed)
        {
            instruments.Unsubscribed();
            await ReleaseAsync([(scopeKey, window)]);
        }
    }

    /// <summary>A closed connection leaves its groups by itself; only its subscriptions need releasing.</summary>
    public async Task DisconnectedAsync(string connectionId)
    {
        HashSet<(string Scope, string Window)>? subscriptions;
        lock (_lock)
        {
            _connections.Remove(connectionId, out subscriptions);
        }

        if (subscriptions is { Count: > 0 })
        {
            instruments.Unsubscribed(subscriptions.Count);
            await ReleaseAsync(subscriptions);
        }
    }

    Task IWallboardObserver.UpdatedAsync(string scopeKey, string window, long revision, MetricsSnapshot snapshot) =>
        ForwardUpdatedAsync(scopeKey, window, revision, snapshot);

    async Task IWallboardObserver.LiveChangedAsync(string scopeKey, LiveSnapshot live)
    {
        await hub.Clients.Group(ScopeGroupName(scopeKey)).LiveChanged(live);
        instruments.Pushed("live");
    }

    async Task IWallboardObserver.AlertAsync(string scopeKey, Alert alert)
    {
        await hub.Clients.Group(ScopeGroupName(scopeKey)).Alert(alert);
        instruments.Pushed("alert");
    }

    private async Task ForwardUpdatedAsync(string scopeKey, string window, long revision, MetricsSnapshot snapshot)
    {
        MetricsGroup? group;
        lock (_lock)
        {
            _groups.TryGetValue((scopeKey, window), out group);
        }

        if (group is null)
        {
            return;
        }

        await group.Gate.WaitAsync();
        try
        {
            if (group.Pending.Count > 0 && (group.HeldBack is null || group.HeldBack.Value.Revision < revision))
            {
                group.HeldBack = (revision, snapshot);
            }

            await hub.Clients.GroupExcept(MetricsGroupName(scopeKey, window), [.. group.Pending]).Updated(snapshot);
            instruments.Pushed("updated");
        }
        finally
        {
            group.Gate.Release();
        }
    }

    /// <summary>Renews this silo's leases at a third of their duration, on the injected clock.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(WallboardPushGrain.LeaseDuration / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAllAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task RenewAllAsync()
    {
        ImmutableArray<IGrouping<string, string>> byScope;
        lock (_lock)
        {
            byScope = [.. _groups.Where(g => g.Value.Members > 0).Select(g => g.Key).GroupBy(k => k.Scope, k => k.Window, StringComparer.Ordinal)];
        }

        foreach (var scope in byScope)
        {
            try
            {
                await grains.GetGrain<IWallboardPushGrain>(scope.Key).RenewAsync(Reference(), [.. scope]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.RenewFailed(logger, e);
            }
        }
    }

    private async Task ReleaseAsync(IEnumerable<(string Scope, string Window)> subscriptions)
    {
        foreach (var key in subscriptions)
        {
            bool last;
            lock (_lock)
            {
                last = _groups.TryGetValue(key, out var group) && --group.Members == 0;
                if (last)
                {
                    _groups.Remove(key);
                }
            }

            if (last)
            {
                await grains.GetGrain<IWallboardPushGrain>(key.Scope).UnsubscribeAsync(Reference(), key.Window);
            }
        }
    }

    private IWallboardObserver Reference()
    {
        lock (_lock)
        {
            return _reference ??= grains.CreateObjectReference<IWallboardObserver>(this);
        }
    }

    private sealed class MetricsGroup
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public HashSet<string> Pending { get; } = new(StringComparer.Ordinal);

        public (long Revision, MetricsSnapshot Snapshot)? HeldBack { get; set; }

        public int Members { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Renewing wallboard subscriptions failed; the next renewal retries")]
        public static partial void RenewFailed(ILogger logger, Exception exception);
    }
}
