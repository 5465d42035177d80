using System.Collections.Immutable;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LifelineRealtime.Grains.Tests;

public sealed class ReadModelCopierTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLifelineSerialization().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Copy_OfASnapshot_IsTheSameInstance()
    {
        var snapshot = Snapshot();

        var copy = _services.GetRequiredService<DeepCopier>().Copy(snapshot);

        Assert.Same(snapshot, copy);
    }

    [Fact]
    public void Copy_OfAnotherDomainType_IsStillADeepCopy()
    {
        var stats = new DurationStats(2, 30, 15, 20, 10, 20);

        var copy = _services.GetRequiredService<DeepCopier>().Copy(stats);

        Assert.NotSame(stats, copy);
        Assert.Equal(stats, copy);
    }

    [Fact]
    public void Serialize_OfASnapshot_RoundTripsBetweenSilos()
    {
        var snapshot = Snapshot();
        var serializer = _services.GetRequiredService<Serializer>();

        var back = serializer.Deserialize<MetricsSnapshot>(serializer.SerializeToArray(snapshot));

        Assert.NotSame(snapshot, back);
        Assert.Equal(snapshot, back);
    }

    private static MetricsSnapshot Snapshot()
    {
        var values = new MetricValues(3, 2, 1, 4, 1, 0, 0, new DurationStats(2, 30, 15, 20, 10, 20), DurationStats.Empty, DurationStats.Empty, DurationStats.Empty, DurationStats.Empty, 0, 2, 0.25, 0, 0, 0.33, 0.67);
        return new MetricsSnapshot("ciss", "team", "Team 01",
            new WindowInfo("day:2026-03-05", DateTimeOffset.FromUnixTimeSeconds(1_772_629_200), DateTimeOffset.FromUnixTimeSeconds(1_772_715_600), "Australia/Sydney"),
            values, ImmutableSortedDictionary<string, MetricValues>.Empty.Add("imminent", values));
    }
}
