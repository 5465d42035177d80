using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Domain.Statistics;

public enum MetricWindowKind
{
    Rolling,
    Calendar,
}

/// <summary>
/// A parsed window name (design §5): <c>15m</c>, <c>1h</c>, <c>today</c>, <c>day:YYYY-MM-DD</c>,
/// <c>week:YYYY-Www</c>, <c>month:YYYY-MM</c>, <c>range:YYYY-MM-DD..YYYY-MM-DD</c> (inclusive).
/// </summary>
public sealed record MetricWindow
{
    private MetricWindow(string name, MetricWindowKind kind, int rollingMinutes, DateOnly? from, DateOnly? to)
    {
        Name = name;
        Kind = kind;
        RollingMinutes = rollingMinutes;
        From = from;
        To = to;
    }

    public string Name { get; }

    public MetricWindowKind Kind { get; }

    /// <summary>15 or 60 for rolling windows.</summary>
    public int RollingMinutes { get; }

    /// <summary>First local day of a calendar window; null for <c>today</c> (known only at resolve time).</summary>
    public DateOnly? From { get; }

    public DateOnly? To { get; }

    /// <summary>The first local date a window may name. Earlier is before any TaskRouter event.</summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1);

    /// <summary>The last local date a window may name: clear of the calendar types' year-9999 limit in every
    /// time zone, so every window accepted here can be resolved and read.</summary>
    public static readonly DateOnly LastDate = new(2199, 12, 31);

    /// <summary>True for a date between <see cref="FirstDate"/> and <see cref="LastDate"/>.</summary>
    public static bool IsSupportedDate(DateOnly date) => date >= FirstDate && date <= LastDate;

    /// <summary>What an error says about the supported dates.</summary>
    public static string SupportedDates => $"{FirstDate:yyyy-MM-dd} to {LastDate:yyyy-MM-dd}";

    public static readonly MetricWindow FifteenMinutes = new("15m", MetricWindowKind.Rolling, 15, null, null);

    public static readonly MetricWindow OneHour = new("1h", MetricWindowKind.Rolling, 60, null, null);

    public static readonly MetricWindow Today = new("today", MetricWindowKind.Calendar, 0, null, null);

    /// <summary>Parses a window name.</summary>
    /// <exception cref="FormatException">The name is not a window; the message names the value.</exception>
    public static MetricWindow Parse(string? name) =>
        TryParse(name, out var window, out var error) ? window : throw new FormatException(error);

    public static bool TryParse(string? name, [NotNullWhen(true)] out MetricWindow? window, [NotNullWhen(false)] out string? error)
    {
        window = null;
        error = null;
        var text = name ?? "";
        switch (text)
        {
            case "15m":
                window = FifteenMinutes;
                return true;
            case "1h":
                window = OneHour;
                return true;
            case "today":
                window = Today;
                return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var argument = colon < 0 ? "" : text[(colon + 1)..];
        switch (kind)
        {
            case "day" when TryDate(argument, out var day):
                return Supported(text, day, day, out window, out error);
            case "week" when TryWeek(argument, out var monday):
                return Supported(text, monday, monday.AddDays(6), out window, out error);
            case "month" when DateOnly.TryParseExact(argument + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first):
                // Checked before the month's end is computed: December of year 9999 has no next month.
                return IsSupportedDate(first)
                    ? Supported(text, first, first.AddMonths(1).AddDays(-1), out window, out error)
                    : Supported(text, first, first, out window, out error);
            case "range":
                var parts = argument.Split("..");
                if (parts.Length == 2 && TryDate(parts[0], out var from) && TryDate(parts[1], out var to))
                {
                    if (!IsSupportedDate(from) || !IsSupportedDate(to))
                    {
                        return Supported(text, from, to, out window, out error);
                    }

                    if (to < from)
                    {
                        error = $"window '{text}': the range ends before it starts";
                        return false;
                    }

                    if (to.DayNumber - from.DayNumber + 1 > PlatformSettings.DailyRetentionDays)
                    {
                        error = $"window '{text}': a range may span at most {PlatformSettings.DailyRetentionDays} days";
                        return false;
                    }

                    window = new MetricWindow(text, MetricWindowKind.Calendar, 0, from, to);
                    return true;
                }

                break;
        }

        error = $"window '{text}' is not one of 15m, 1h, today, day:YYYY-MM-DD, week:YYYY-Www, month:YYYY-MM, range:YYYY-MM-DD..YYYY-MM-DD";
        return false;
    }

    /// <summary>Fixes the window's instants for a platform at <paramref name="nowMs"/>.</summary>
    public ResolvedWindow Resolve(PlatformSettings settings, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Kind == MetricWindowKind.Rolling)
        {
            // The current minute so far and the minutes before it, in one-minute buckets.
            var nowMinute = Math.DivRem(nowMs, 60_000, out var rem) - (rem < 0 ? 1 : 0);
            var firstMinute = nowMinute - RollingMinutes + 1;
            return new ResolvedWindow(this, firstMinute * 60_000, nowMs, nowMs, settings.TimeZoneName, firstMinute, nowMinute, 0, -1);
        }

        var from = From ?? settings.LocalDate(nowMs);
        var to = To ?? from;
        return new ResolvedWindow(this, settings.LocalDayStartMs(from), settings.LocalDayStartMs(to.AddDays(1)), nowMs, settings.TimeZoneName, 0, -1, from.DayNumber, to.DayNumber);
    }

    /// <summary>The calendar window <paramref name="from"/>..<paramref name="to"/>, or an error when either date is
    /// outside <see cref="FirstDate"/>..<see cref="LastDate"/>.</summary>
    private static bool Supported(string text, DateOnly from, DateOnly to, [NotNullWhen(true)] out MetricWindow? window, [NotNullWhen(false)] out string? error)
    {
        if (IsSupportedDate(from) && IsSupportedDate(to))
        {
            window = new MetricWindow(text, MetricWindowKind.Calendar, 0, from, to);
            error = null;
            return true;
        }

        window = null;
        error = $"window '{text}' is outside the dates this engine computes ({SupportedDates})";
        return false;
    }

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static bool TryWeek(string text, out DateOnly monday)
    {
        monday = default;
        if (text.Length != 8 || text[4] != '-' || text[5] != 'W'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year < 1 || year > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return true;
    }
}

/// <summary>
/// A window fixed in time: [<see cref="StartMs"/>, <see cref="EndMs"/>) in UTC milliseconds, with the minute
/// range (rolling) or the local day-number range (calendar) the statistics read.
/// </summary>
public sealed record ResolvedWindow(
    MetricWindow Window,
    long StartMs,
    long EndMs,
    long NowMs,
    string TimeZone,
    long FirstMinute,
    long LastMinute,
    int FirstDay,
    int LastDay)
{
    public WindowInfo ToInfo() => new(
        Window.Name,
        DateTimeOffset.FromUnixTimeMilliseconds(StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(EndMs),
        TimeZone);
}
