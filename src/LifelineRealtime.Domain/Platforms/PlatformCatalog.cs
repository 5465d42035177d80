using System.Collections.Frozen;

namespace LifelineRealtime.Domain.Platforms;

/// <summary>
/// The configured platforms, compiled once (time zones, rules) and shared by the webhooks, the grains and the
/// API: the one way a platform is looked up by id (ids compare exactly: they are lower-case slugs).
/// </summary>
public sealed class PlatformCatalog
{
    private readonly FrozenDictionary<string, PlatformSettings> _byId;

    public PlatformCatalog(IEnumerable<PlatformOptions> platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        All = [.. platforms.Select(p => PlatformSettings.Create(p))];
        _byId = All.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<PlatformSettings> All { get; }

    public bool TryGet(string platformId, out PlatformSettings settings) => _byId.TryGetValue(platformId, out settings!);

    /// <exception cref="KeyNotFoundException">No platform has this id.</exception>
    public PlatformSettings Get(string platformId) =>
        _byId.TryGetValue(platformId, out var settings) ? settings : throw new KeyNotFoundException($"unknown platform '{platformId}'");
}
