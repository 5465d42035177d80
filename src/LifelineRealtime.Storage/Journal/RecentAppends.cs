using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Storage.Journal;

/// <summary>
/// The events of the latest appends, by sequence, so a reader close behind the writer (the dispatcher, in
/// normal running) gets the event the webhook parsed instead of parsing the stored payload again. A fixed
/// ring: an entry is overwritten by the append <see cref="Capacity"/> sequences later, so memory is bounded
/// whatever the traffic, and a reader further behind (a replay after a restart) parses as before.
/// </summary>
/// <remarks>Safe for one writer and any number of readers: slots hold immutable entries, swapped whole.</remarks>
internal sealed class RecentAppends
{
    /// <summary>About four dispatch rounds of the default batch size (1,000): a power of two.</summary>
    public const int Capacity = 4096;

    private readonly Entry?[] _slots = new Entry?[Capacity];

    public void Add(long sequence, TaskRouterEvent e, string payload) =>
        Volatile.Write(ref _slots[sequence & (Capacity - 1)], new Entry(sequence, e, payload));

    /// <summary>
    /// The event appended at <paramref name="sequence"/> in this process, if still held and the stored row's
    /// payload is the one it was parsed from (a row altered in the file since is parsed again, and refused).
    /// </summary>
    public TaskRouterEvent? Find(long sequence, string payload) =>
        Volatile.Read(ref _slots[sequence & (Capacity - 1)]) is { } entry
        && entry.Sequence == sequence
        && string.Equals(entry.Payload, payload, StringComparison.Ordinal)
            ? entry.Event
            : null;

    /// <summary>Forgets every entry: the file behind the sequences may no longer be the one they were appended to.</summary>
    public void Clear() => Array.Clear(_slots);

    private sealed record Entry(long Sequence, TaskRouterEvent Event, string Payload);
}
