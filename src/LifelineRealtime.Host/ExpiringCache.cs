using System.Collections.Concurrent;

namespace LifelineRealtime.Host;

/// <summary>
/// Values kept in memory until a given instant on the host's <see cref="TimeProvider"/>, bounded: beyond
/// <see cref="MaxEntries"/> the expired entries go, and if none had expired, all do.
/// </summary>
public sealed class ExpiringCache<TKey, TValue>(TimeProvider time, int maxEntries, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);

    public int MaxEntries { get; } = maxEntries > 0 ? maxEntries : throw new ArgumentOutOfRangeException(nameof(maxEntries));

    public int Count => _entries.Count;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>True when <paramref name="key"/> is held and not yet expired.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        value = default!;
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (time.GetUtcNow() >= entry.Until)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            return false;
        }

        value = entry.Value;
        return true;
    }

    /// <summary>Keeps <paramref name="value"/> until <paramref name="until"/>; an instant already past removes the key instead.</summary>
    public void Put(TKey key, TValue value, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        if (until <= now)
        {
            _entries.TryRemove(key, out _);
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            foreach (var (k, e) in _entries)
            {
                if (now >= e.Until)
                {
                    _entries.TryRemove(KeyValuePair.Create(k, e));
                }
            }

            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
        }

        _entries[key] = new Entry(value, until);
    }

    private sealed record Entry(TValue Value, DateTimeOffset Until);
}
