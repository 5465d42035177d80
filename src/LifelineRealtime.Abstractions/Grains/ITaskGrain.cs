using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;
using Orleans.Concurrency;

namespace LifelineRealtime.Abstractions.Grains;

/// <summary>
/// One TaskRouter task (key <see cref="Keys.EntityKey"/>: platform and task Sid). Holds the task's events
/// and derives, through the domain lifecycle, the exact stats delta of every input it is given — also
/// for an input it already holds, so a replay after a crash re-emits the same delta.
/// </summary>
public interface ITaskGrain : IGrainWithStringKey
{
    Task<EntityApplyResult> ApplyAsync(ImmutableArray<JournalInput> inputs, ImmutableArray<TransferInput> transfers);

    /// <summary>
    /// Lets go of the input with <paramref name="sequence"/> (a journal record set aside after it failed further
    /// on), as if it had never been given; the task's other inputs stay. Nothing when it is not held.
    /// </summary>
    Task ForgetAsync(long sequence);

    /// <summary>Writes the grain's state if it changed since the last write.</summary>
    Task FlushAsync();

    /// <summary>Every event held for the task, in event-time order (then journal order).</summary>
    [ReadOnly]
    Task<ImmutableArray<TaskEventInfo>> GetHistoryAsync();
}
