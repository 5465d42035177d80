using System.Diagnostics.Metrics;

namespace LifelineRealtime.Grains.Dispatch;

/// <summary>Health of the journal dispatcher, on the <c>LifelineRealtime</c> meter.</summary>
public sealed class DispatchInstruments
{
    private readonly Counter<long> _events;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _roundDuration;
    private readonly Counter<long> _checkpoints;
    private readonly Counter<long> _quarantined;
    private long _lag;

    public DispatchInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create("LifelineRealtime");
        _events = meter.CreateCounter<long>("lifeline.dispatch.events", "{event}", "Journal records delivered to grains");
        _failures = meter.CreateCounter<long>("lifeline.dispatch.failures", "{round}", "Dispatch rounds that failed and were retried");
        _roundDuration = meter.CreateHistogram<double>("lifeline.dispatch.round.duration", "s", "Time to deliver one round of journal records");
        _checkpoints = meter.CreateCounter<long>("lifeline.dispatch.checkpoints", "{checkpoint}", "Checkpoints written after flushing grain state");
        _quarantined = meter.CreateCounter<long>("lifeline.dispatch.quarantined", "{event}", "Journal records set aside (not applied) because they failed or can never be real events, by platform");
        meter.CreateObservableGauge("lifeline.dispatch.lag", () => Volatile.Read(ref _lag), "{event}", "Committed journal records not yet delivered to grains");
    }

    internal void Delivered(int records, double seconds)
    {
        _events.Add(records);
        _roundDuration.Record(seconds);
    }

    internal void Failed() => _failures.Add(1);

    internal void Checkpointed() => _checkpoints.Add(1);

    internal void Quarantined(string platform) => _quarantined.Add(1, new KeyValuePair<string, object?>("platform", platform));

    internal void Lag(long records) => Volatile.Write(ref _lag, records);
}
