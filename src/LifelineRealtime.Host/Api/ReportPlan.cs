using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Host.Api;

public enum ReportInterval
{
    Day,
    Week,
    Month,
}

/// <summary>
/// The windows of a report: one per day, ISO week (Monday to Sunday) or calendar month between two local
/// dates, inclusive. A first or last period cut by from/to becomes a <c>range:</c> window so no day outside
/// the request is counted; whole periods use their own window name (<c>day:</c>, <c>week:</c>, <c>month:</c>).
/// </summary>
public static class ReportPlan
{
    /// <summary>The longest report: the daily buckets the engine keeps.</summary>
    public const int MaxDays = PlatformSettings.DailyRetentionDays;

    public const string DateForm = "YYYY-MM-DD";

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryParseInterval(string? text, out ReportInterval interval)
    {
        switch (text)
        {
            case null or "day":
                interval = ReportInterval.Day;
                return true;
            case "week":
                interval = ReportInterval.Week;
                return true;
            case "month":
                interval = ReportInterval.Month;
                return true;
            default:
                interval = default;
                return false;
        }
    }

    /// <summary>Window names covering <paramref name="from"/>..<paramref name="to"/>, oldest first.</summary>
    /// <returns>False (with a message naming both dates) when the span is reversed or longer than <see cref="MaxDays"/>.</returns>
    public static bool TryCreate(DateOnly from, DateOnly to, ReportInterval interval, out ImmutableArray<string> windows, [NotNullWhen(false)] out string? error)
    {
        windows = [];
        if (to < from)
        {
            error = $"the report from {Format(from)} to {Format(to)} ends before it starts";
            return false;
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            error = $"the report from {Format(from)} to {Format(to)} spans {to.DayNumber - from.DayNumber + 1} days; at most {MaxDays} are kept";
            return false;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var start = from;
        while (start <= to)
        {
            var (periodStart, periodEnd) = PeriodOf(start, interval);
            var end = periodEnd < to ? periodEnd : to;
            result.Add(start == periodStart && end == periodEnd ? WholePeriodName(periodStart, interval) : $"range:{Format(start)}..{Format(end)}");
            start = end.AddDays(1);
        }

        windows = result.ToImmutable();
        error = null;
        return true;
    }

    private static (DateOnly Start, DateOnly End) PeriodOf(DateOnly day, ReportInterval interval)
    {
        switch (interval)
        {
            case ReportInterval.Week:
                // ISO weeks start on Monday: DayOfWeek counts from Sunday = 0.
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                return (monday, monday.AddDays(6));
            case ReportInterval.Month:
                var first = new DateOnly(day.Year, day.Month, 1);
                return (first, first.AddMonths(1).AddDays(-1));
            default:
                return (day, day);
        }
    }

    private static string WholePeriodName(DateOnly start, ReportInterval interval) => interval switch
    {
        ReportInterval.Week => string.Create(CultureInfo.InvariantCulture,
            $"week:{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):D2}"),
        ReportInterval.Month => $"month:{start.ToString("yyyy-MM", CultureInfo.InvariantCulture)}",
        _ => $"day:{Format(start)}",
    };

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
