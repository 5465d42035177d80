using System.Globalization;
using CsCheck;

namespace LifelineRealtime.Testing;

/// <summary>Window strings as a careless or hostile caller would write them: every form with any numbers, and noise.</summary>
internal static class WindowStrings
{
    /// <summary>A year-like number (0000–10000) or any integer.</summary>
    public static readonly Gen<string> Number = Gen.OneOf(
        Gen.Int[0, 10_000].Select(n => n.ToString("D4", CultureInfo.InvariantCulture)),
        Gen.Int.Select(n => n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A two-digit month, week or day, including 00 and −1.</summary>
    public static readonly Gen<string> Small = Gen.Int[-1, 60].Select(n => n.ToString("D2", CultureInfo.InvariantCulture));

    /// <summary>A date of the form the API reads, with any numbers in it.</summary>
    public static readonly Gen<string> Date = Gen.Select(Number, Small, Small, (y, m, d) => $"{y}-{m}-{d}");

    public static readonly Gen<string> Window = Gen.OneOf(
        Date.Select(d => "day:" + d),
        Gen.Select(Number, Small, (y, w) => $"week:{y}-W{w}"),
        Gen.Select(Number, Small, (y, m) => $"month:{y}-{m}"),
        Gen.Select(Date, Date, (a, b) => $"range:{a}..{b}"),
        Gen.Int[0, 6].Select(i => ((string[])["day:2199-12-31", "month:2199-12", "week:2199-W52", "day:2000-01-01", "today", "15m", "1h"])[i]),
        Gen.String);
}
