using System.Diagnostics.Metrics;

namespace LifelineRealtime.Storage.Journal;

/// <summary>Journal health instruments on the <c>LifelineRealtime</c> meter.</summary>
public sealed class JournalInstruments
{
    public const string MeterName = "LifelineRealtime";

    private static readonly KeyValuePair<string, object?> NewOutcome = new("outcome", "new");
    private static readonly KeyValuePair<string, object?> DuplicateOutcome = new("outcome", "duplicate");

    private readonly Counter<long> _appends;
    private readonly Counter<long> _commits;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _failures;
    private readonly UpDownCounter<long> _failing;

    public JournalInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _appends = meter.CreateCounter<long>("lifeline.journal.appends", "{event}", "Events appended to the journal, by outcome (new or duplicate).");
        _commits = meter.CreateCounter<long>("lifeline.journal.commits", "{transaction}", "Journal transactions committed.");
        _batchSize = meter.CreateHistogram<long>("lifeline.journal.commit.batch_size", "{event}", "Events written by one journal transaction.");
        _commitDuration = meter.CreateHistogram<double>("lifeline.journal.commit.duration", "s", "Time to write and commit one journal transaction.");
        _failures = meter.CreateCounter<long>("lifeline.journal.failures", "{attempt}", "Journal opens and commits that failed, by operation (open or commit).");
        _failing = meter.CreateUpDownCounter<long>("lifeline.journal.failing", "{journal}", "1 while the journal cannot commit (appends are refused), 0 while it is writable.");
    }

    internal void Committed(int records, int duplicates, double seconds)
    {
        _commits.Add(1);
        _batchSize.Record(records);
        _commitDuration.Record(seconds);
        if (records - duplicates > 0)
        {
            _appends.Add(records - duplicates, NewOutcome);
        }

        if (duplicates > 0)
        {
            _appends.Add(duplicates, DuplicateOutcome);
        }
    }

    internal void Failed(JournalOperation operation, bool enteredFailing)
    {
        _failures.Add(1, new KeyValuePair<string, object?>("operation", operation == JournalOperation.Open ? "open" : "commit"));
        if (enteredFailing)
        {
            _failing.Add(1);
        }
    }

    internal void Recovered() => _failing.Add(-1);
}
