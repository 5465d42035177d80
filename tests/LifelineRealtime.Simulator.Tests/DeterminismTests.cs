using System.Security.Cryptography;
using LifelineRealtime.Simulator.Generation;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Simulator.Tests;

public sealed class DeterminismTests
{
    private static SimulatorOptions ShortDay(long seed)
    {
        var options = SimulatedDays.Options(seed);
        options.Duration = TimeSpan.FromHours(6);
        return options;
    }

    private static async Task<string> WriteAndHashAsync(long seed)
    {
        var path = Path.Combine(TestData.Root, $"sim-{Guid.NewGuid():N}.ndjson");
        try
        {
            await SimulationFile.WriteAsync(path, new TrafficSimulation(ShortDay(seed), SimulatedDays.Start).Events(), TestContext.Current.CancellationToken);
            return Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WrittenFile_SameSeed_IsByteIdentical()
    {
        var first = await WriteAndHashAsync(1234);
        var second = await WriteAndHashAsync(1234);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task WrittenFile_DifferentSeeds_Differ()
    {
        var first = await WriteAndHashAsync(1234);
        var second = await WriteAndHashAsync(1235);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task WrittenFile_Replayed_GivesTheSameEventsInOrder()
    {
        var events = new TrafficSimulation(ShortDay(99), SimulatedDays.Start).Events().ToList();
        var path = Path.Combine(TestData.Root, $"sim-{Guid.NewGuid():N}.ndjson");
        try
        {
            var written = await SimulationFile.WriteAsync(path, events, TestContext.Current.CancellationToken);
            var replayed = new List<SimulatedEvent>();
            await foreach (var e in SimulationFile.ReadAsync(path, TestContext.Current.CancellationToken))
            {
                replayed.Add(e);
            }

            Assert.Equal(events.Count, written);
            Assert.Equal(events, replayed);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Events_EnumeratedTwice_Throws()
    {
        var simulation = new TrafficSimulation(ShortDay(1), SimulatedDays.Start);
        _ = simulation.Events();

        Assert.Throws<InvalidOperationException>(() => simulation.Events());
    }

    [Fact]
    public void Random_XoshiroReferenceState_GivesThePublishedOutputs()
    {
        // Reference outputs of xoshiro256** from the state {1, 2, 3, 4}.
        var random = new SimulatorRandom(1, 2, 3, 4);

        Assert.Equal(11520UL, random.NextUInt64());
        Assert.Equal(0UL, random.NextUInt64());
        Assert.Equal(1509978240UL, random.NextUInt64());
        Assert.Equal(1215971899390074240UL, random.NextUInt64());
    }

    [Fact]
    public void Random_SplitMixSeed_GivesThePublishedOutputs()
    {
        // SplitMix64 from 1234567: the first outputs of the reference implementation.
        var x = 1234567UL;

        Assert.Equal(6457827717110365317UL, SimulatorRandom.SplitMix64(ref x));
        Assert.Equal(3203168211198807973UL, SimulatorRandom.SplitMix64(ref x));
    }

    [Fact]
    public void Random_Between_StaysInRangeAndReachesBothEnds()
    {
        var random = new SimulatorRandom(5);
        var seen = new HashSet<long>();
        for (var i = 0; i < 1000; i++)
        {
            seen.Add(random.Between(-2, 3));
        }

        Assert.Equal([-2L, -1, 0, 1, 2], seen.Order());
    }
}

/// <summary>A restarted simulator starts at a new "now": it must send events the journal has never seen, by the same people.</summary>
public sealed class RestartTests
{
    [Fact]
    public void SameSeed_LaterStart_NewEventAndTaskSids_SameWorkers()
    {
        var options = SimulatedDays.Options(42);
        options.Duration = TimeSpan.FromHours(1);
        var first = new TrafficSimulation(options, SimulatedDays.Start);
        var restarted = new TrafficSimulation(options, SimulatedDays.Start.AddMinutes(7));

        var firstSids = Sids(first.Events(), "Sid").ToHashSet(StringComparer.Ordinal);
        var restartedSids = Sids(restarted.Events(), "Sid").ToList();

        Assert.NotEmpty(restartedSids);
        Assert.DoesNotContain(restartedSids, firstSids.Contains);
        Assert.Equal(first.GroundTruth.Workers.Select(w => w.WorkerSid), restarted.GroundTruth.Workers.Select(w => w.WorkerSid));
        Assert.Empty(first.GroundTruth.Tasks.Select(t => t.TaskSid).Intersect(restarted.GroundTruth.Tasks.Select(t => t.TaskSid)));
    }

    [Fact]
    public void SameSeed_SameStart_SameSids()
    {
        var options = SimulatedDays.Options(42);
        options.Duration = TimeSpan.FromMinutes(30);

        Assert.Equal(
            Sids(new TrafficSimulation(options, SimulatedDays.Start).Events(), "Sid"),
            Sids(new TrafficSimulation(options, SimulatedDays.Start).Events(), "Sid"));
    }

    private static IEnumerable<string> Sids(IEnumerable<SimulatedEvent> events, string field) =>
        events.Select(e => FormBody.DecodeToDictionary(e.Form)[field]);
}
