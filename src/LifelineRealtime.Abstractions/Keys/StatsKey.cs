using System.Diagnostics.CodeAnalysis;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Abstractions.Keys;

/// <summary>
/// Typed grain keys, written and parsed in one place. Format: <c>{platform}/{kind}/{id}</c>; the id is
/// everything after the second separator, so team names containing '/' survive a round trip.
/// </summary>
public readonly record struct StatsKey(string PlatformId, ScopeKind Kind, string Id)
{
    public static StatsKey Platform(string platformId) => new(platformId, ScopeKind.Platform, platformId);

    public static StatsKey For(string platformId, ScopeKey scope) => new(platformId, scope.Kind, scope.Id);

    public ScopeKey Scope => new(Kind, Id);

    public string ToGrainKey() => $"{PlatformId}/{ScopeKinds.Name(Kind)}/{Id}";

    public static StatsKey Parse(string key) =>
        TryParse(key, out var parsed) ? parsed : throw new FormatException($"'{key}' is not a stats grain key");

    public static bool TryParse(string key, [NotNullWhen(true)] out StatsKey parsed)
    {
        parsed = default;
        var first = key.IndexOf('/', StringComparison.Ordinal);
        var second = first < 0 ? -1 : key.IndexOf('/', first + 1);
        if (first <= 0 || second < 0 || second == key.Length - 1)
        {
            return false;
        }

        if (!ScopeKinds.TryParse(key[(first + 1)..second], out var kind))
        {
            return false;
        }

        parsed = new StatsKey(key[..first], kind, key[(second + 1)..]);
        return true;
    }

    public override string ToString() => ToGrainKey();
}
