using System.Globalization;

namespace LifelineRealtime.Bench.Ingest;

internal sealed record BenchSettings(int Events, int Clients, int Batches, int BatchClients, string Durability)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Events: 40_000, Clients: 32, Batches: 300, BatchClients: 4, Durability: "Full");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--events" => settings with { Events = int.Parse(value, CultureInfo.InvariantCulture) },
                "--clients" => settings with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batches" => settings with { Batches = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch-clients" => settings with { BatchClients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--durability" => settings with { Durability = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return settings;
    }
}
