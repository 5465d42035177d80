using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Domain.Reconciliation;

/// <summary>
/// The figures one queue's day is reconciled on, in TaskRouter's terms (its <c>CumulativeStatistics</c> names,
/// twilio README §6.3): either as TaskRouter reported them, or as we hold them mapped by
/// <see cref="ReconciliationMapping.Ours"/>.
/// </summary>
public sealed record QueueFigures(
    long TasksEntered,
    long TasksCanceled,
    long ReservationsCreated,
    long ReservationsAccepted,
    long ReservationsRejected,
    long ReservationsTimedOut,
    double WaitDurationUntilAcceptedTotalSeconds)
{
    /// <summary>A figure by its TaskRouter name.</summary>
    public double this[ReconciledMeasure measure] => measure switch
    {
        ReconciledMeasure.TasksEntered => TasksEntered,
        ReconciledMeasure.TasksCanceled => TasksCanceled,
        ReconciledMeasure.ReservationsCreated => ReservationsCreated,
        ReconciledMeasure.ReservationsAccepted => ReservationsAccepted,
        ReconciledMeasure.ReservationsRejected => ReservationsRejected,
        ReconciledMeasure.ReservationsTimedOut => ReservationsTimedOut,
        ReconciledMeasure.WaitDurationUntilAcceptedTotal => WaitDurationUntilAcceptedTotalSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "not a reconciled measure"),
    };
}

/// <summary>The TaskRouter figures compared, in the order they are reported.</summary>
public enum ReconciledMeasure
{
    TasksEntered,
    TasksCanceled,
    ReservationsCreated,
    ReservationsAccepted,
    ReservationsRejected,
    ReservationsTimedOut,
    WaitDurationUntilAcceptedTotal,
}

/// <summary>
/// One TaskRouter figure and the measure of ours it is compared with: the one place the correspondence is
/// written down (docs/reconciliation.md is this table in prose).
/// </summary>
/// <param name="Measure">The figure.</param>
/// <param name="Name">TaskRouter's name for it (a metric tag and the API's key).</param>
/// <param name="Ours">Our measure, as a path in the queue's day metrics (<c>GET …/queues/{sid}/metrics?window=day:…</c>).</param>
/// <param name="IsDuration">Seconds (compared with the duration tolerance) rather than a count.</param>
/// <param name="KnownDifference">Where the two definitions part, so a difference of that kind is expected, not a fault.</param>
public sealed record MeasureMapping(ReconciledMeasure Measure, string Name, string Ours, bool IsDuration, string KnownDifference);

/// <summary>
/// How our queue-scope day measures (design §5) correspond to TaskRouter's queue <c>CumulativeStatistics</c> for
/// the same period. Both book by event time; ours books every measure of a task to the first queue it entered.
/// </summary>
public static class ReconciliationMapping
{
    public static readonly IReadOnlyList<MeasureMapping> All =
    [
        new(ReconciledMeasure.TasksEntered, "tasks_entered", "totals.offered", false,
            "Ours counts a task once, in the first queue it entered, at task.created; TaskRouter counts every entry into the queue, at task-queue.entered. "
            + "A task moved or cold-transferred into this queue counts in TaskRouter's figure and not in ours, and a task created just before local midnight "
            + "that entered the queue just after counts on different days."),
        new(ReconciledMeasure.TasksCanceled, "tasks_canceled", "totals.abandoned", false,
            "Ours counts canceled tasks that were never accepted (abandoned); TaskRouter counts every canceled task. A task canceled after an acceptance "
            + "(only possible after a transfer put it back in a queue) counts in TaskRouter's figure only."),
        new(ReconciledMeasure.ReservationsCreated, "reservations_created", "totals.reservations", false,
            "Both count reservation.created. Ours books a reservation to the task's first queue; after a cold transfer TaskRouter books the target's "
            + "reservations to the queue the task was transferred to."),
        new(ReconciledMeasure.ReservationsAccepted, "reservations_accepted", "totals.handled", false,
            "Ours counts a task's first acceptance; TaskRouter counts every accepted reservation. A native (voice) transfer's accepted reservation on the "
            + "same task counts in TaskRouter's figure only. Chat transfers by a new task are counted alike by both."),
        new(ReconciledMeasure.ReservationsRejected, "reservations_rejected", "totals.rejected", false,
            "Both count reservation.rejected; after a cold transfer, as for reservations_created."),
        new(ReconciledMeasure.ReservationsTimedOut, "reservations_timed_out", "totals.timedOut", false,
            "Both count reservation.timeout (RONA); after a cold transfer, as for reservations_created."),
        new(ReconciledMeasure.WaitDurationUntilAcceptedTotal, "wait_duration_until_accepted.total", "totals.waitSeconds.sum", true,
            "Both measure from task creation to acceptance (not from queue entry). Ours sums each task's first acceptance to the millisecond; TaskRouter "
            + "also adds, for a native transfer's accepted reservation, the time from task creation to that acceptance, and reports whole seconds."),
    ];

    public static MeasureMapping Of(ReconciledMeasure measure) => All[(int)measure];

    /// <summary>Our figures for a queue's day, from its day metrics (the totals over every support type).</summary>
    public static QueueFigures Ours(MetricValues totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new QueueFigures(
            totals.Offered,
            totals.Abandoned,
            totals.Reservations,
            totals.Handled,
            totals.Rejected,
            totals.TimedOut,
            totals.WaitSeconds.Sum);
    }
}
