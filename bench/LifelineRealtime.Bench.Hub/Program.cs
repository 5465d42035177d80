using System.Globalization;

namespace LifelineRealtime.Bench.Hub;

/// <summary>Wallboard push latency: event journaled → the Updated that includes it arrives at a client.</summary>
internal static class HubBench
{
    /// <summary><c>minutes 10</c> or <c>--minutes 10</c>; <c>rate 500</c> for a lower ingest rate.</summary>
    private static double Argument(string[] args, string name, double fallback)
    {
        var at = Array.FindIndex(args, a => a == name || a == "--" + name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static async Task Main(string[] args)
    {
        var minutes = Argument(args, "minutes", 2.0);
        var eventsPerSecond = (int)Argument(args, "rate", 2_000);
        const int Clients = 1_000;
        const int Scopes = 50;
        Console.WriteLine($"clients {Clients}, scopes {Scopes}, ingest {eventsPerSecond} events/s, wallboard run {minutes} min, {Environment.ProcessorCount} cores");

        var baseline = await BareHubRun.RunAsync(Clients, Scopes, TimeSpan.FromSeconds(minutes < 1 ? 5 : 30));
        Console.WriteLine(baseline.Describe("baseline: bare hub, one trivial broadcast per group per second"));

        var wallboard = await WallboardRun.RunAsync(Clients, Scopes, eventsPerSecond, TimeSpan.FromMinutes(minutes));
        Console.WriteLine(wallboard.Describe("wallboard: journal → dispatcher → push grain → hub → client"));
        Console.WriteLine($"  journaled {wallboard.Journaled:N0} events: {wallboard.Journaled / wallboard.Duration.TotalSeconds:F0} events/s achieved of {eventsPerSecond} offered");
        foreach (var line in wallboard.Memory)
        {
            Console.WriteLine("  " + line);
        }

        Console.WriteLine();
        Console.WriteLine($"p50 ratio wallboard/baseline: {wallboard.Latency.Percentile(50) / baseline.Latency.Percentile(50):F1}x");
        Console.WriteLine($"p99 ratio wallboard/baseline: {wallboard.Latency.Percentile(99) / baseline.Latency.Percentile(99):F1}x");
        Console.WriteLine($"p99 goal < 1500 ms: {(wallboard.Latency.Percentile(99) < 1500 ? "met" : "missed")}");
    }
}
