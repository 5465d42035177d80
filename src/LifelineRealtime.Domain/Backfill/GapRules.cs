namespace LifelineRealtime.Domain.Backfill;

/// <summary>Why a period of a platform's events is read back from TaskRouter. A merged period can have several.</summary>
[Flags]
public enum FillTriggers
{
    None = 0,

    /// <summary>On start: from the last journaled event (or the last check of quiet windows) to now.</summary>
    Start = 1,

    /// <summary>A window in which the webhook received nothing for the platform while the engine was up.</summary>
    Quiet = 2,

    /// <summary>A fill that failed (or was cut short) before, tried again.</summary>
    Retry = 4,

    /// <summary>Asked for by an administrator (<c>POST /api/admin/backfill</c>).</summary>
    Manual = 8,
}

/// <summary>How gaps are found (<c>Lifeline:Backfill</c>): the margin re-read, the retention limit and what counts as quiet.</summary>
/// <param name="Overlap">Re-read this much before a gap's start: events arrive out of order and late.</param>
/// <param name="MaxLookBack">How far back TaskRouter's Events resource can be read (30 days of retention); older is unrecoverable.</param>
/// <param name="QuietGap">A stretch at least this long with no webhook for a platform, while the engine was up, is re-read.</param>
public sealed record GapRules(TimeSpan Overlap, TimeSpan MaxLookBack, TimeSpan QuietGap)
{
    /// <summary>TaskRouter keeps events for 30 days (twilio README §0.3, §6.1).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);
}

/// <summary>A period [<see cref="FromMs"/>, <see cref="ToMs"/>) of one platform's events to read back, and why.</summary>
public sealed record FillPeriod(string PlatformId, long FromMs, long ToMs, FillTriggers Triggers)
{
    public long LengthMs => ToMs - FromMs;
}

/// <summary>
/// What one run reads: the periods TaskRouter can still answer, and those it cannot (older than
/// <see cref="GapRules.MaxLookBack"/>), which are reported and not retried.
/// </summary>
public sealed record FillPlan(IReadOnlyList<FillPeriod> Fills, IReadOnlyList<FillPeriod> Unrecoverable)
{
    public static readonly FillPlan Empty = new([], []);
}

/// <summary>
/// The gap rules (docs/backfill.md), plain and deterministic: every time is passed in (Unix milliseconds, host clock).
/// </summary>
public static class GapFinder
{
    /// <summary>
    /// The period to read on start: from the earlier of the platform's last journaled event and the last time its
    /// quiet windows were checked, less <see cref="GapRules.Overlap"/>, to now. Nothing when neither is known (a new
    /// journal: there is no gap to speak of; older history is read on demand).
    /// </summary>
    public static FillPeriod? AtStart(string platformId, long? lastEventMs, long? checkedMs, long nowMs, GapRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        long? since = (lastEventMs, checkedMs) switch
        {
            ({ } e, { } c) => Math.Min(e, c),
            ({ } e, null) => e,
            (null, { } c) => c,
            _ => null,
        };
        if (since is not { } s)
        {
            return null;
        }

        var from = Math.Min(s, nowMs) - (long)rules.Overlap.TotalMilliseconds;
        return from < nowMs ? new FillPeriod(platformId, from, nowMs, FillTriggers.Start) : null;
    }

    /// <summary>
    /// One run's plan from the periods found: each quiet window widened by <see cref="GapRules.Overlap"/> at its
    /// start, overlapping periods of a platform merged (their triggers joined), and each cut at
    /// now − <see cref="GapRules.MaxLookBack"/>: what lies before is unrecoverable.
    /// </summary>
    public static FillPlan Plan(IEnumerable<FillPeriod> periods, long nowMs, GapRules rules)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(rules);
        var overlapMs = (long)rules.Overlap.TotalMilliseconds;
        var earliestMs = nowMs - (long)rules.MaxLookBack.TotalMilliseconds;
        var fills = new List<FillPeriod>();
        var lost = new List<FillPeriod>();
        foreach (var platform in periods.GroupBy(p => p.PlatformId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            FillPeriod? current = null;
            foreach (var period in platform
                .Select(p => p.Triggers == FillTriggers.Quiet ? p with { FromMs = p.FromMs - overlapMs } : p)
                .Select(p => p with { ToMs = Math.Min(p.ToMs, nowMs) })
                .Where(p => p.ToMs > p.FromMs)
                .OrderBy(p => p.FromMs).ThenBy(p => p.ToMs))
            {
                if (current is not null && period.FromMs <= current.ToMs)
                {
                    current = current with { ToMs = Math.Max(current.ToMs, period.ToMs), Triggers = current.Triggers | period.Triggers };
                    continue;
                }

                if (current is not null)
                {
                    Cut(current, earliestMs, fills, lost);
                }

                current = period;
            }

            if (current is not null)
            {
                Cut(current, earliestMs, fills, lost);
            }
        }

        return new FillPlan(fills, lost);
    }

    /// <summary>Splits a period at the earliest instant TaskRouter still holds.</summary>
    private static void Cut(FillPeriod period, long earliestMs, List<FillPeriod> fills, List<FillPeriod> lost)
    {
        if (period.ToMs <= earliestMs)
        {
            lost.Add(period);
        }
        else if (period.FromMs < earliestMs)
        {
            lost.Add(period with { ToMs = earliestMs });
            fills.Add(period with { FromMs = earliestMs });
        }
        else
        {
            fills.Add(period);
        }
    }
}
