using System.Collections.Concurrent;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// Which queues, teams and workers exist, asked of each platform's <see cref="IScopeDirectoryGrain"/> once
/// per scope: a directory only ever grows, so a "yes" stays true and is remembered here, which keeps the
/// one directory grain per platform off the path of every read. A "no" is asked again next time, since the
/// scope may appear with the next event.
/// </summary>
public sealed class KnownScopes(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<StatsKey, bool> _known = new();

    public async ValueTask<bool> ExistsAsync(StatsKey key)
    {
        if (_known.ContainsKey(key))
        {
            return true;
        }

        if (!await grains.GetGrain<IScopeDirectoryGrain>(key.PlatformId).ContainsAsync(new ScopeEntry(key.Kind, key.Id)))
        {
            return false;
        }

        _known.TryAdd(key, true);
        return true;
    }
}
