using System.Diagnostics.Metrics;
using LifelineRealtime.Host.Ingest;

namespace LifelineRealtime.Host.Reconciliation;

/// <summary>Reconciliation instruments on the <c>LifelineRealtime</c> meter: tags are platform ids, TaskRouter's measure names and outcomes only.</summary>
public sealed class ReconciliationInstruments
{
    private readonly Counter<long> _mismatches;
    private readonly Counter<long> _runs;

    public ReconciliationInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(IngestInstruments.MeterName);
        _mismatches = meter.CreateCounter<long>("lifeline.reconciliation.mismatches", "{measure}",
            "Queue-day measures whose difference from TaskRouter's cumulative statistics is beyond the tolerance, by platform and measure.");
        _runs = meter.CreateCounter<long>("lifeline.reconciliation.runs", "{run}",
            "Reconciliation runs of a platform's day, by platform and outcome (ok, partial: some queues failed, failed).");
    }

    public void Mismatch(string platform, string measure) => _mismatches.Add(1, new("platform", platform), new("measure", measure));

    public void Run(string platform, string outcome) => _runs.Add(1, new("platform", platform), new("outcome", outcome));
}
