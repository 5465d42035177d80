using System.Diagnostics.Metrics;
using LifelineRealtime.Host.Ingest;

namespace LifelineRealtime.Host.Tasks;

/// <summary>
/// Task-fix instruments on the <c>LifelineRealtime</c> meter. Tags are a configured platform id (else
/// <c>unknown</c>), the fix and the outcome: never a task Sid or who asked.
/// </summary>
public sealed class TaskFixInstruments
{
    private readonly Counter<long> _fixes;

    public TaskFixInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(IngestInstruments.MeterName);
        _fixes = meter.CreateCounter<long>("lifeline.tasks.fixes", "{request}",
            "Requests to cancel or complete a task in TaskRouter, by platform, action (cancel, complete) and outcome (ok, denied, invalid, conflict, refused, not_found, unauthorized, rate_limited, unavailable).");
    }

    public void Attempted(string platform, string action, string outcome) =>
        _fixes.Add(1, new("platform", platform), new("action", action), new("outcome", outcome));
}
