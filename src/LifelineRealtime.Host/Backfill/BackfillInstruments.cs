using System.Diagnostics.Metrics;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Storage.Backfill;

namespace LifelineRealtime.Host.Backfill;

/// <summary>Backfill instruments on the <c>LifelineRealtime</c> meter. Tags are configured platform ids and outcomes only.</summary>
public sealed class BackfillInstruments
{
    private readonly Counter<long> _events;
    private readonly Counter<long> _fills;
    private readonly Histogram<double> _duration;

    public BackfillInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(IngestInstruments.MeterName);
        _events = meter.CreateCounter<long>("lifeline.backfill.events", "{event}", "Event resources read back from TaskRouter, by platform and outcome (new, duplicate, refused, unparsable).");
        _fills = meter.CreateCounter<long>("lifeline.backfill.fills", "{fill}", "Fills finished, by platform and outcome (ok, partial, failed, unrecoverable).");
        _duration = meter.CreateHistogram<double>("lifeline.backfill.fill.duration", "s", "How long a fill took, by platform and outcome.");
    }

    public void Events(string platform, string outcome, int count)
    {
        if (count > 0)
        {
            _events.Add(count, new("platform", platform), new("outcome", outcome));
        }
    }

    public void Finished(string platform, FillOutcome outcome, TimeSpan took)
    {
        var name = SqliteBackfillRecords.Name(outcome);
        _fills.Add(1, new("platform", platform), new("outcome", name));
        if (outcome != FillOutcome.Unrecoverable)
        {
            _duration.Record(took.TotalSeconds, new("platform", platform), new("outcome", name));
        }
    }
}
