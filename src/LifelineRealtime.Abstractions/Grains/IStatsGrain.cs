using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using Orleans.Concurrency;
using LifelineRealtime.Domain.Snapshots;

namespace LifelineRealtime.Abstractions.Grains;

/// <summary>
/// The statistics of one scope (key <see cref="Keys.StatsKey"/>: platform, queue, team or worker):
/// rolling windows, daily buckets and live tasks and workers. Turn-based; reads are
/// <see cref="ReadOnlyAttribute"/>. Window names are validated by callers (<c>MetricWindow.TryParse</c>);
/// a bad one here is an <see cref="ArgumentException"/>.
/// </summary>
public interface IStatsGrain : IGrainWithStringKey
{
    /// <summary>Applies the changes above the watermark and raises it to the batch's highest sequence. All or
    /// nothing: a change whose time cannot be computed fails the call before anything is applied.</summary>
    Task ApplyAsync(StatsBatch batch);

    /// <summary>
    /// Applies the changes of one journal record that was set aside and is now applied late (its sequence is
    /// below the watermark), once: a second call for the same sequence changes nothing. All or nothing.
    /// </summary>
    Task ReapplyAsync(StatsBatch batch, long sequence);

    [ReadOnly]
    Task<MetricsSnapshot> GetMetricsAsync(string window);

    /// <summary>Several windows in one call (reports: one per day, week or month).</summary>
    [ReadOnly]
    Task<ImmutableArray<MetricsSnapshot>> GetMetricsAsync(ImmutableArray<string> windows);

    [ReadOnly]
    Task<LoggedStatusSnapshot> GetLoggedStatusAsync(string window);

    [ReadOnly]
    Task<LiveSnapshot> GetLiveAsync();

    /// <summary>Change detection and urgent waits for the wallboard push (cheap: no snapshot is built).</summary>
    [ReadOnly]
    Task<StatsPushState> GetPushStateAsync();

    /// <summary>The change counter alone (<see cref="StatsPushState.Epoch"/>, <see cref="StatsPushState.Version"/>): O(1).</summary>
    [ReadOnly]
    Task<(Guid Epoch, long Version)> GetVersionAsync();

    Task FlushAsync();
}
