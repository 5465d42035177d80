namespace LifelineRealtime.Abstractions.Keys;

/// <summary>Key of a task or worker grain: <c>{platform}/{sid}</c>.</summary>
public readonly record struct EntityKey(string PlatformId, string Sid)
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
