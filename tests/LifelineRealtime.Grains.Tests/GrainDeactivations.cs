using System.Collections.Concurrent;
using System.Diagnostics;

namespace LifelineRealtime.Grains.Tests;

/// <summary>
/// Completes when each of the given grains has finished a deactivation, as Orleans reports it on its lifecycle
/// activity source: a <c>deactivate grain</c> span ends once the activation is gone, and its child
/// <c>execute OnDeactivateAsync</c> names the grain. Start it before the work that leads to the deactivations:
/// a signal, not a poll.
/// </summary>
internal sealed class GrainDeactivations : IDisposable
{
    private const string LifecycleSource = "Microsoft.Orleans.Lifecycle";
    private const string DeactivateGrain = "deactivate grain";
    private const string OnDeactivate = "execute OnDeactivateAsync";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited;
    private readonly ConcurrentDictionary<ActivitySpanId, string> _grainOfDeactivation = new();
    private readonly ActivityListener _listener;

    public GrainDeactivations(IEnumerable<GrainId> grains)
    {
        _awaited = new(grains.Select(g => KeyValuePair.Create(g.ToString(), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))));
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LifecycleSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Every awaited grain has deactivated.</summary>
    public Task All => Task.WhenAll(_awaited.Values.Select(t => t.Task));

    public void Dispose() => _listener.Dispose();

    private void OnStopped(Activity activity)
    {
        if (activity.OperationName == OnDeactivate && activity.GetTagItem("orleans.grain.id")?.ToString() is { } grain)
        {
            _grainOfDeactivation[activity.ParentSpanId] = grain;
        }
        else if (activity.OperationName == DeactivateGrain
            && _grainOfDeactivation.TryRemove(activity.SpanId, out var id)
            && _awaited.TryGetValue(id, out var done))
        {
            done.TrySetResult();
        }
    }
}
