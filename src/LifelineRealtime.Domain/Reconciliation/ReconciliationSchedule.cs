namespace LifelineRealtime.Domain.Reconciliation;

/// <summary>
/// When a platform's nightly reconciliation runs: every day at <c>RunAt</c> local time in the platform's zone, for
/// the local day before, which has closed by then.
/// </summary>
public static class ReconciliationSchedule
{
    /// <summary>
    /// The first instant after <paramref name="now"/> at which the local clock reads <paramref name="runAt"/>, and the
    /// local day that run reconciles (the day before its own). A time skipped by a DST change runs at the first valid
    /// minute after it; a time that occurs twice runs at its first occurrence.
    /// </summary>
    public static (DateTimeOffset At, DateOnly Day) Next(DateTimeOffset now, TimeZoneInfo zone, TimeOnly runAt)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var day = today.AddDays(-1); ; day = day.AddDays(1))
        {
            var at = Instant(day, runAt, zone);
            if (at > now)
            {
                return (at, day.AddDays(-1));
            }
        }
    }

    private static DateTimeOffset Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
