using System.Globalization;

namespace LifelineRealtime.Bench.Pages;

/// <summary>
/// The command line: <c>pages 50</c> or <c>--pages 50</c>; every option has a default that keeps a run under three
/// minutes on two cores.
/// </summary>
internal sealed record BenchOptions(
    int Pages,
    TimeSpan Phase,
    TimeSpan WarmUp,
    TimeSpan Settle,
    double Speed,
    int Workers,
    double ArrivalsPerHour,
    string Platform,
    int OpenParallel,
    string HostDll,
    string Chromium)
{
    public const string Usage =
        "options: pages N (50), seconds S per measured phase (25), warmup S (20), settle S (5), speed X (simulator, 1),"
        + " workers N (simulator, per platform, 540), arrivals N (simulator, per platform at the busiest hour, 800),"
        + " platform ID (digi), parallel N (pages opened at once, 5), host PATH (LifelineRealtime.Host.dll), chromium PATH (/usr/bin/chromium)";

    public static BenchOptions Parse(string[] args)
    {
        var known = new[] { "pages", "seconds", "warmup", "settle", "speed", "workers", "arrivals", "platform", "parallel", "host", "chromium" };
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            if (!known.Contains(name, StringComparer.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unknown option or missing value: '{args[i]}'. {Usage}");
            }
        }

        var options = new BenchOptions(
            Pages: (int)Number(args, "pages", 50),
            Phase: TimeSpan.FromSeconds(Number(args, "seconds", 25)),
            WarmUp: TimeSpan.FromSeconds(Number(args, "warmup", 20)),
            Settle: TimeSpan.FromSeconds(Number(args, "settle", 5)),
            Speed: Number(args, "speed", 1),
            Workers: (int)Number(args, "workers", 540),
            ArrivalsPerHour: Number(args, "arrivals", 800),
            Platform: Text(args, "platform") ?? "digi",
            OpenParallel: (int)Number(args, "parallel", 5),
            HostDll: Path.GetFullPath(Text(args, "host") ?? DefaultHostDll()),
            Chromium: Text(args, "chromium") ?? "/usr/bin/chromium");
        if (options.Pages < 2 || options.Phase < TimeSpan.FromSeconds(5) || options.OpenParallel < 1 || !(options.Speed > 0))
        {
            throw new ArgumentException($"pages must be at least 2, seconds at least 5, parallel at least 1 and speed positive. {Usage}");
        }

        return options;
    }

    /// <summary>
    /// The host's build output beside this bench's: <c>artifacts/bin/LifelineRealtime.Host/&lt;pivot&gt;/</c>, the same
    /// configuration (the project reference builds it first).
    /// </summary>
    private static string DefaultHostDll()
    {
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(own.Parent!.Parent!.FullName, "LifelineRealtime.Host", own.Name, "LifelineRealtime.Host.dll");
    }

    private static string? Text(string[] args, string name)
    {
        var at = Array.FindIndex(args, a => a == name || a == "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static double Number(string[] args, string name, double fallback) =>
        Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
