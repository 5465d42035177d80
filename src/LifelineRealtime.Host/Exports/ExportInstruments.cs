using System.Diagnostics.Metrics;
using LifelineRealtime.Host.Ingest;

namespace LifelineRealtime.Host.Exports;

/// <summary>Export instruments on the <c>LifelineRealtime</c> meter; tags are the table and outcome only.</summary>
public sealed class ExportInstruments
{
    private readonly Counter<long> _partitions;
    private readonly Counter<long> _rows;
    private readonly Histogram<double> _duration;

    public ExportInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(IngestInstruments.MeterName);
        _partitions = meter.CreateCounter<long>("lifeline.exports.partitions", "{partition}", "Partitions exported, by table and outcome (ok, failed, canceled).");
        _rows = meter.CreateCounter<long>("lifeline.exports.rows", "{row}", "Rows written to committed partitions, by table.");
        _duration = meter.CreateHistogram<double>("lifeline.exports.duration", "s", "Time to write and commit one partition, by table and outcome.");
    }

    public void Exported(string table, string outcome, long rows, TimeSpan elapsed)
    {
        _partitions.Add(1, new("table", table), new("outcome", outcome));
        if (rows > 0)
        {
            _rows.Add(rows, new KeyValuePair<string, object?>("table", table));
        }

        _duration.Record(elapsed.TotalSeconds, new("table", table), new("outcome", outcome));
    }
}
