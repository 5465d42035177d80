using Orleans.Concurrency;

namespace LifelineRealtime.Abstractions.Grains;

/// <summary>Where the journal dispatcher has got to: every record at or below it reached the grains and was flushed.</summary>
public interface IDispatchCheckpointGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<long> GetAsync();

    Task SetAsync(long sequence);
}
