using System.Collections.Frozen;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Options;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Ingest;

/// <summary>The configured platforms by id (ids are compared exactly: they are lower-case slugs).</summary>
public sealed class PlatformRegistry(IOptions<LifelineOptions> options)
{
    private readonly FrozenDictionary<string, PlatformOptions> _byId =
        options.Value.Platforms.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<PlatformOptions> All => _byId.Values;

    public PlatformOptions? Find(string id) => _byId.GetValueOrDefault(id);
}
