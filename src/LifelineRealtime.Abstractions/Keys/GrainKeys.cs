using System.Diagnostics.CodeAnalysis;

namespace LifelineRealtime.Abstractions.Keys;

/// <summary>
/// Typed grain keys, written and parsed in one place. Format: <c>{platform}/{kind}/{id}</c>; the id is
/// everything after the second separator, so team names containing '/' survive a round trip.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.StatsKey")]
public readonly record struct StatsKey([property: Id(0)] string PlatformId, [property: Id(1)] ScopeKind Kind, [property: Id(2)] string Id)
{
    public static StatsKey Platform(string platformId) => new(platformId, ScopeKind.Platform, platformId);

    public string ToGrainKey() => $"{PlatformId}/{KindName(Kind)}/{Id}";

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

        ScopeKind? kind = key[(first + 1)..second] switch
        {
            "platform" => ScopeKind.Platform,
            "queue" => ScopeKind.Queue,
            "team" => ScopeKind.Team,
            "worker" => ScopeKind.Worker,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        parsed = new StatsKey(key[..first], kind.Value, key[(second + 1)..]);
        return true;
    }

    public static string KindName(ScopeKind kind) => kind switch
    {
        ScopeKind.Platform => "platform",
        ScopeKind.Queue => "queue",
        ScopeKind.Team => "team",
        ScopeKind.Worker => "worker",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public override string ToString() => ToGrainKey();
}

/// <summary>Key of a task or worker grain: <c>{platform}/{sid}</c>.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.EntityKey")]
public readonly record struct EntityKey([property: Id(0)] string PlatformId, [property: Id(1)] string Sid)
{
    public string ToGrainKey() => $"{PlatformId}/{Sid}";

    public static EntityKey Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new FormatException($"'{key}' is not an entity grain key");
        }

        return new EntityKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => ToGrainKey();
}
