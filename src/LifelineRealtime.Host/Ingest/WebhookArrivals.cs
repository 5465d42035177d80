namespace LifelineRealtime.Host.Ingest;

/// <summary>
/// When webhooks were journaled, per platform, for whoever watches (backfill finds the windows in which nothing
/// arrived). Listeners run on the request's thread after the commit: they must be quick and must not throw.
/// </summary>
public sealed class WebhookArrivals
{
    private Action<string, long>? _listeners;

    /// <summary>Calls <paramref name="listener"/> with the platform id and the arrival time (Unix ms) of each journaled webhook.</summary>
    public void Listen(Action<string, long> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        Action<string, long>? current, combined;
        do
        {
            current = Volatile.Read(ref _listeners);
            combined = (Action<string, long>)Delegate.Combine(current, listener);
        }
        while (Interlocked.CompareExchange(ref _listeners, combined, current) != current);
    }

    public void Received(string platformId, long arrivedMs) => Volatile.Read(ref _listeners)?.Invoke(platformId, arrivedMs);
}
