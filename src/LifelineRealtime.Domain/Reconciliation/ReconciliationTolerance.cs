namespace LifelineRealtime.Domain.Reconciliation;

/// <summary>
/// How far ours may be from TaskRouter's figure and still agree: within when |ours − theirs| ≤
/// max(<see cref="Absolute"/>, <see cref="Relative"/> × |theirs|). TaskRouter's figure is the reference, so the
/// allowance does not grow with a figure of ours that is wrong.
/// </summary>
/// <param name="Absolute">Counts: tasks or reservations; durations: seconds.</param>
/// <param name="Relative">A fraction of TaskRouter's figure (0.01 = 1%).</param>
public sealed record MeasureTolerance(double Absolute, double Relative)
{
    /// <summary>Floating-point slack, far below the millisecond our durations are kept to.</summary>
    private const double Epsilon = 1e-9;

    public double Allowed(double theirs) => Math.Max(Absolute, Relative * Math.Abs(theirs));

    public bool Within(double ours, double theirs) => Math.Abs(ours - theirs) <= Allowed(theirs) + Epsilon;
}

/// <summary>The tolerance of every measure: one for counts, one for the wait total, and any per-measure override.</summary>
public sealed record ReconciliationTolerance(MeasureTolerance Counts, MeasureTolerance WaitSeconds, IReadOnlyDictionary<string, MeasureTolerance>? ByMeasure = null)
{
    /// <summary>Counts ±0 or 1%, the wait total ±1 s or 1%: TaskRouter reports whole seconds, we keep milliseconds.</summary>
    public static readonly ReconciliationTolerance Default = new(new MeasureTolerance(0, 0.01), new MeasureTolerance(1, 0.01));

    public MeasureTolerance For(MeasureMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return ByMeasure is not null && ByMeasure.TryGetValue(mapping.Name, out var own) ? own
            : mapping.IsDuration ? WaitSeconds : Counts;
    }
}
