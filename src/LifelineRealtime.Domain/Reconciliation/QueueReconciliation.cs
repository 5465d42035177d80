using System.Collections.Immutable;

namespace LifelineRealtime.Domain.Reconciliation;

/// <summary>One measure of one queue's day: ours, TaskRouter's, ours − theirs, what the tolerance allows, and whether it is within.</summary>
public sealed record MeasureComparison(string Measure, double Ours, double Theirs, double Difference, double Allowed, bool Within);

/// <summary>Compares a queue's day, measure by measure (<see cref="ReconciliationMapping"/>, <see cref="ReconciliationTolerance"/>).</summary>
public static class QueueReconciliation
{
    public static ImmutableArray<MeasureComparison> Compare(QueueFigures ours, QueueFigures theirs, ReconciliationTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        ArgumentNullException.ThrowIfNull(tolerance);
        var result = ImmutableArray.CreateBuilder<MeasureComparison>(ReconciliationMapping.All.Count);
        foreach (var mapping in ReconciliationMapping.All)
        {
            var (o, t) = (ours[mapping.Measure], theirs[mapping.Measure]);
            var allowed = tolerance.For(mapping);
            // Durations to the millisecond, as everywhere else; counts are whole already.
            result.Add(new MeasureComparison(mapping.Name, o, t, Math.Round(o - t, 3), allowed.Allowed(t), allowed.Within(o, t)));
        }

        return result.MoveToImmutable();
    }
}
