using LifelineRealtime.Simulator.Generation;

namespace LifelineRealtime.Simulator;

/// <summary>
/// Genuine-looking TaskRouter traffic for every configured platform, deterministic from
/// <see cref="SimulatorOptions.Seed"/>, in simulated time (pacing is the caller's business).
/// <see cref="Events"/> is lazy and can be enumerated once; <see cref="GroundTruth"/> grows as events
/// come out, so after a partial enumeration it describes exactly the events seen.
/// </summary>
public sealed class TrafficSimulation
{
    private readonly List<PlatformSimulation> _platforms;
    private bool _started;

    public TrafficSimulation(SimulatorOptions options, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(options);
        _platforms = [.. options.Platforms.Select(p => new PlatformSimulation(options, p, start, GroundTruth))];
    }

    public GroundTruth GroundTruth { get; } = new();

    /// <summary>All platforms' events merged by event time (ties: configuration order of platforms).</summary>
    public IEnumerable<SimulatedEvent> Events()
    {
        if (_started)
        {
            throw new InvalidOperationException("A simulation's events can be enumerated only once; create a new simulation to run again.");
        }

        _started = true;
        return Merge();
    }

    private IEnumerable<SimulatedEvent> Merge()
    {
        var streams = _platforms.Select(p => p.Run().GetEnumerator()).ToList();
        try
        {
            var heads = new SimulatedEvent?[streams.Count];
            for (var i = 0; i < streams.Count; i++)
            {
                heads[i] = streams[i].MoveNext() ? streams[i].Current : null;
            }

            while (true)
            {
                var pick = -1;
                for (var i = 0; i < heads.Length; i++)
                {
                    if (heads[i] is { } head && (pick < 0 || head.TimestampMs < heads[pick]!.TimestampMs))
                    {
                        pick = i;
                    }
                }

                if (pick < 0)
                {
                    yield break;
                }

                yield return heads[pick]!;
                heads[pick] = streams[pick].MoveNext() ? streams[pick].Current : null;
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        }
    }
}
