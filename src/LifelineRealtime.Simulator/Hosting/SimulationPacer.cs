namespace LifelineRealtime.Simulator.Hosting;

/// <summary>
/// Maps simulated time onto real time: an event at simulated instant <c>s</c> is due
/// <c>(s − simulatedStart) / speed</c> after the pacer started, measured on the <see cref="TimeProvider"/>.
/// Generation never waits; only delivery is paced.
/// </summary>
public sealed class SimulationPacer(TimeProvider timeProvider, double speed)
{
    private long? _simulatedStartMs;
    private long _realStart;

    /// <summary>
    /// Anchors simulated <paramref name="simulatedStartMs"/> to the provider's now less <paramref name="elapsed"/>
    /// (a run continued after a restart): events whose time has already come are due at once.
    /// </summary>
    public void Start(long simulatedStartMs, TimeSpan elapsed = default)
    {
        _simulatedStartMs = simulatedStartMs;
        _realStart = timeProvider.GetTimestamp() - (long)(elapsed.TotalSeconds * timeProvider.TimestampFrequency);
    }

    /// <summary>Completes when the event is due; the first event anchors the pacer if it was not started.</summary>
    public Task WaitForAsync(long eventTimestampMs, CancellationToken cancellationToken)
    {
        if (_simulatedStartMs is null)
        {
            Start(eventTimestampMs);
        }

        var due = TimeSpan.FromMilliseconds((eventTimestampMs - _simulatedStartMs!.Value) / speed);
        var wait = due - timeProvider.GetElapsedTime(_realStart);
        return wait > TimeSpan.Zero ? Task.Delay(wait, timeProvider, cancellationToken) : Task.CompletedTask;
    }
}
