using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Grains.Stats;

/// <summary>
/// The live registry of a platform (its open tasks, its workers' sightings and current activities) folded offline from
/// events with the same domain code the grains run: the reference a platform stats grain's live answer is held to.
/// </summary>
public sealed class LiveRegistryFold
{
    private readonly Dictionary<string, string> _activities;

    private LiveRegistryFold(LiveTaskSet tasks, LiveWorkerSet workers, Dictionary<string, string> activities)
    {
        Tasks = tasks;
        Workers = workers;
        _activities = activities;
    }

    public LiveTaskSet Tasks { get; }

    public LiveWorkerSet Workers { get; }

    public string? ActivityOf(string workerSid) => _activities.GetValueOrDefault(workerSid);

    /// <summary>The live answer's task part as the platform grain computes it, at <paramref name="nowMs"/>.</summary>
    public LiveTaskView Read(long nowMs, PlatformSettings settings, int maxListed) => Tasks.Read(nowMs, settings, maxListed, Workers, ActivityOf);

    public static LiveRegistryFold Run(PlatformSettings settings, IReadOnlyCollection<TaskRouterEvent> events)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(events);
        var fold = OfflineFold.Run(settings, events);
        var tasks = new LiveTaskSet();
        foreach (var lifecycle in fold.Tasks.Values)
        {
            var live = lifecycle.LiveState;
            if (live.IsOpen && lifecycle.EventCount > 0)
            {
                tasks[live.TaskSid] = new LiveTask(live.Status, live.SinceMs, live.CreatedMs, live.TaskQueueSid, live.SupportType, live.WorkerSid);
            }
        }

        var workers = new LiveWorkerSet();
        foreach (var e in events)
        {
            if (e.SightingOf() is { } sighting)
            {
                workers.Apply(sighting);
            }
        }

        var activities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (sid, timeline) in fold.Workers)
        {
            if (timeline.Contribution.Open is { } open)
            {
                activities[sid] = open.Activity;
            }
        }

        return new LiveRegistryFold(tasks, workers, activities);
    }
}
