using System.Diagnostics.Metrics;

namespace LifelineRealtime.Host.Wallboard;

/// <summary>Health of the wallboard hub on this silo, on the <c>LifelineRealtime</c> meter.</summary>
public sealed class HubInstruments
{
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly Counter<long> _pushes;

    public HubInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create("LifelineRealtime");
        _connections = meter.CreateUpDownCounter<long>("lifeline.hub.connections", "{connection}", "Wallboard connections open on this silo");
        _subscriptions = meter.CreateUpDownCounter<long>("lifeline.hub.subscriptions", "{subscription}", "Scope and window subscriptions of the connections on this silo");
        _pushes = meter.CreateCounter<long>("lifeline.hub.pushes", "{message}", "Messages sent to wallboard connections or groups, by kind");
    }

    internal void Connected() => _connections.Add(1);

    internal void Disconnected() => _connections.Add(-1);

    internal void Subscribed() => _subscriptions.Add(1);

    internal void Unsubscribed(int count = 1) => _subscriptions.Add(-count);

    /// <param name="kind"><c>snapshot</c>, <c>updated</c>, <c>live</c> or <c>alert</c>.</param>
    internal void Pushed(string kind) => _pushes.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
