using System.Diagnostics.Metrics;

namespace LifelineRealtime.Simulator.Hosting;

/// <summary>The simulator's instruments on the <c>LifelineRealtime</c> meter; tagged by platform only.</summary>
public sealed class SimulatorMetrics
{
    public const string MeterName = "LifelineRealtime";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;

    public SimulatorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _sent = meter.CreateCounter<long>("lifeline.simulator.events_sent", "{event}", "Simulated TaskRouter events accepted by the webhook.");
        _failed = meter.CreateCounter<long>("lifeline.simulator.events_failed", "{event}", "Simulated TaskRouter events given up on after retries.");
    }

    public void Sent(string platformId) => _sent.Add(1, new KeyValuePair<string, object?>("platform", platformId));

    public void Failed(string platformId) => _failed.Add(1, new KeyValuePair<string, object?>("platform", platformId));
}
