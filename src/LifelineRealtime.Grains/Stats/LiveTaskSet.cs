using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Grains.Stats;

/// <summary>
/// The open tasks of one scope, kept small: one 40-byte slot per task in a dense array (a closed task's slot
/// is filled by the last one), queue, support type and worker names held once per set instead of once per task, and
/// the storage shrunk as tasks close, down to nothing when none is open. A busy day opens and closes hundreds
/// of thousands of tasks; what a closed task leaves behind is nothing.
/// </summary>
/// <remarks>
/// <see cref="Read"/> makes the live answer in one pass without allocating per task: exact counts of every
/// task, and the <c>maxListed</c> longest waiting and oldest stuck picked by bounded heaps (O(n log k)), not by
/// sorting all of them. Given the scope's <see cref="LiveWorkerSet"/> and its workers' current activities (the platform
/// scope), it also raises the flags that need workers (<see cref="StuckRules"/>); the tasks each worker holds are
/// counted here as tasks come and go, so a read asks no more of a worker than a few lookups. Not thread-safe: one
/// owner (a grain) at a time.
/// </remarks>
public sealed class LiveTaskSet
{
    private const int MinCapacity = 16;
    private const long NoTime = long.MinValue;
    private const int NoQueue = -1;
    private const int NoWorker = -1;

    private Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private Slot[] _slots = [];
    private int _count;

    // Names held once per set: every task of a queue carries the same Sid, and every one would otherwise
    // keep its own copy of it (each arrives in its own deserialized change).
    private readonly List<string> _queues = [];
    private readonly Dictionary<string, int> _queueIndex = new(StringComparer.Ordinal);
    private readonly List<string> _types = [];
    private readonly Dictionary<string, int> _typeIndex = new(StringComparer.Ordinal);
    private readonly List<string> _workers = [];
    private readonly Dictionary<string, int> _workerIndex = new(StringComparer.Ordinal);

    // Open tasks held per worker (by its index in _workers): reserved for it, assigned to it or wrapping.
    private readonly List<int> _holding = [];

    public int Count => _count;

    /// <summary>Slots allocated (tests and memory checks: it falls as tasks close).</summary>
    public int Capacity => _slots.Length;

    /// <summary>Adds or replaces an open task.</summary>
    public LiveTask this[string taskSid]
    {
        get => _index.TryGetValue(taskSid, out var at) ? ToLiveTask(_slots[at]) : throw new KeyNotFoundException(taskSid);
        set
        {
            ArgumentNullException.ThrowIfNull(taskSid);
            ArgumentNullException.ThrowIfNull(value);
            ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, taskSid, out var exists);
            if (!exists)
            {
                if (_count == _slots.Length)
                {
                    Array.Resize(ref _slots, Math.Max(MinCapacity, _slots.Length * 2));
                }

                at = _count++;
            }
            else
            {
                Release(_slots[at]);
            }

            var worker = value.WorkerSid is { } workerSid && Holds(value.Status) ? InternWorker(workerSid) : NoWorker;
            if (worker != NoWorker)
            {
                _holding[worker]++;
            }

            _slots[at] = new Slot
            {
                // The dictionary's key: one string per task, shared by the slot.
                Sid = exists ? _slots[at].Sid : taskSid,
                SinceMs = value.SinceMs,
                CreatedMs = value.CreatedMs ?? NoTime,
                Queue = value.TaskQueueSid is { } queue ? Intern(_queues, _queueIndex, queue) : NoQueue,
                Type = (ushort)Intern(_types, _typeIndex, value.SupportType),
                Status = (byte)value.Status,
                Worker = worker,
            };
        }
    }

    /// <summary>Forgets a task (it completed or was canceled); false when it was not open here.</summary>
    public bool Remove(string taskSid)
    {
        if (!_index.Remove(taskSid, out var at))
        {
            return false;
        }

        Release(_slots[at]);
        var last = --_count;
        if (at != last)
        {
            _slots[at] = _slots[last];
            _index[_slots[at].Sid] = at;
        }

        _slots[last] = default;
        Shrink();
        return true;
    }

    /// <summary>Every open task, in no particular order.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>
    /// The live task figures as of <paramref name="nowMs"/>: exact counts, and lists of at most
    /// <paramref name="maxListed"/> each (groups and tasks waiting longest first, stuck tasks longest in their
    /// status first; ties by queue, support type or task Sid, so the answer is deterministic).
    /// </summary>
    /// <remarks>
    /// With <c>workers</c> (the scope's <see cref="LiveWorkerSet"/>) and <c>activityOf</c> (a worker's current
    /// activity, or null), the flags that need workers are raised too; without them (a scope that holds no workers)
    /// only tasks in one status too long are stuck.
    /// </remarks>
    public LiveTaskView Read(long nowMs, PlatformSettings settings, int maxListed, LiveWorkerSet? workers = null, Func<string, string?>? activityOf = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(maxListed);
        if (workers is not null)
        {
            ArgumentNullException.ThrowIfNull(activityOf);
        }

        var judge = new Judge(this, settings, nowMs, workers, activityOf);
        int pending = 0, reserved = 0, assigned = 0, wrapping = 0, waiting = 0, stuck = 0, urgent = 0;
        var byType = new TypeTally[_types.Count];
        var groups = new Dictionary<long, GroupTally>();
        var longestWaiting = new TopK(maxListed);
        var oldestStuck = new TopK(maxListed);

        for (var i = 0; i < _count; i++)
        {
            ref readonly var slot = ref _slots[i];
            ref var type = ref byType[slot.Type];
            var status = (TaskLiveStatus)slot.Status;
            switch (status)
            {
                case TaskLiveStatus.Pending: pending++; type.Pending++; break;
                case TaskLiveStatus.Reserved: reserved++; type.Reserved++; break;
                case TaskLiveStatus.Assigned: assigned++; type.Assigned++; break;
                case TaskLiveStatus.Wrapping: wrapping++; type.Wrapping++; break;
            }

            if (status.IsWaiting() && slot.CreatedMs != NoTime)
            {
                waiting++;
                type.Waiting++;
                type.OldestCreatedMs = type.Waiting == 1 ? slot.CreatedMs : Math.Min(type.OldestCreatedMs, slot.CreatedMs);
                ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, ((long)slot.Queue << 16) | slot.Type, out var seen);
                group.Count++;
                group.OldestCreatedMs = seen ? Math.Min(group.OldestCreatedMs, slot.CreatedMs) : slot.CreatedMs;
                longestWaiting.Offer(slot.CreatedMs, slot.Sid, i);
                if (settings.IsUrgent(_types[slot.Type]))
                {
                    urgent++;
                }
            }

            var verdict = judge.Verdict(slot);
            if (verdict.IsStuck)
            {
                stuck++;
                type.Stuck++;
                oldestStuck.Offer(verdict.SinceMs, slot.Sid, i);
            }
        }

        return new LiveTaskView(
            new LiveTaskCounts(pending, reserved, assigned, wrapping, waiting, stuck, urgent, TypeCounts(byType, settings, nowMs)),
            Groups(groups, settings, maxListed, nowMs),
            groups.Count,
            [.. longestWaiting.InOrder().Select(e => ToWaitingTask(_slots[e.Slot], settings, nowMs))],
            waiting,
            [.. oldestStuck.InOrder().Select(e => ToStuckTask(_slots[e.Slot], judge.Verdict(_slots[e.Slot]), nowMs))],
            stuck);
    }

    public static string StatusName(TaskLiveStatus status) => status switch
    {
        TaskLiveStatus.Pending => "pending",
        TaskLiveStatus.Reserved => "reserved",
        TaskLiveStatus.Assigned => "assigned",
        TaskLiveStatus.Wrapping => "wrapping",
        TaskLiveStatus.Completed => "completed",
        _ => "canceled",
    };

    /// <summary>Rebuilds a set from its stored columns (<see cref="LiveTaskSetConverter"/>).</summary>
    internal static LiveTaskSet FromColumns(in LiveTaskSetSurrogate columns)
    {
        var set = new LiveTaskSet();
        var sids = columns.Sids ?? [];
        for (var i = 0; i < sids.Length; i++)
        {
            var created = columns.CreatedMs[i];
            var queue = columns.Queues[i];
            // Sets written before workers were held carry none.
            var worker = columns.Workers is { } workers ? workers[i] : NoWorker;
            set[sids[i]] = new LiveTask(
                (TaskLiveStatus)columns.Statuses[i],
                columns.SinceMs[i],
                created == NoTime ? null : created,
                queue == NoQueue ? null : columns.QueueNames[queue],
                columns.TypeNames[columns.Types[i]],
                worker == NoWorker ? null : columns.WorkerNames![worker]);
        }

        return set;
    }

    internal LiveTaskSetSurrogate ToColumns()
    {
        var columns = new LiveTaskSetSurrogate
        {
            Sids = new string[_count],
            Statuses = new byte[_count],
            SinceMs = new long[_count],
            CreatedMs = new long[_count],
            Queues = new int[_count],
            Types = new int[_count],
            QueueNames = [.. _queues],
            TypeNames = [.. _types],
            Workers = new int[_count],
            WorkerNames = [.. _workers],
        };
        for (var i = 0; i < _count; i++)
        {
            ref readonly var slot = ref _slots[i];
            columns.Sids[i] = slot.Sid;
            columns.Statuses[i] = slot.Status;
            columns.SinceMs[i] = slot.SinceMs;
            columns.CreatedMs[i] = slot.CreatedMs;
            columns.Queues[i] = slot.Queue;
            columns.Types[i] = slot.Type;
            columns.Workers[i] = slot.Worker;
        }

        return columns;
    }

    /// <summary>
    /// Gives memory back as tasks close: at a quarter full the slots and the Sid index halve (so a set
    /// that swings around one size does not resize back and forth), and an empty set holds nothing.
    /// </summary>
    private void Shrink()
    {
        if (_count == 0)
        {
            _slots = [];
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            _queues.Clear();
            _queueIndex.Clear();
            _queues.TrimExcess();
            _queueIndex.TrimExcess();
            _types.Clear();
            _typeIndex.Clear();
            _types.TrimExcess();
            _typeIndex.TrimExcess();
            _workers.Clear();
            _workerIndex.Clear();
            _holding.Clear();
            _workers.TrimExcess();
            _workerIndex.TrimExcess();
            _holding.TrimExcess();
            return;
        }

        if (_slots.Length > MinCapacity && _count <= _slots.Length / 4)
        {
            var capacity = Math.Max(MinCapacity, _slots.Length / 2);
            Array.Resize(ref _slots, capacity);
            _index.TrimExcess(capacity);
        }
    }

    private static int Intern(List<string> names, Dictionary<string, int> index, string name)
    {
        ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(index, name, out var exists);
        if (!exists)
        {
            at = names.Count;
            names.Add(name);
        }

        return at;
    }

    /// <summary>Reserved, assigned and wrapping tasks are held by a worker; pending ones by nobody.</summary>
    private static bool Holds(TaskLiveStatus status) => status is TaskLiveStatus.Reserved or TaskLiveStatus.Assigned or TaskLiveStatus.Wrapping;

    private int InternWorker(string workerSid)
    {
        var at = Intern(_workers, _workerIndex, workerSid);
        if (at == _holding.Count)
        {
            _holding.Add(0);
        }

        return at;
    }

    private void Release(in Slot slot)
    {
        if (slot.Worker != NoWorker)
        {
            _holding[slot.Worker]--;
        }
    }

    /// <summary>True while the worker holds an open task of this set.</summary>
    public bool IsHolding(string workerSid) => _workerIndex.TryGetValue(workerSid, out var at) && _holding[at] > 0;

    private LiveTask ToLiveTask(in Slot slot) => new(
        (TaskLiveStatus)slot.Status,
        slot.SinceMs,
        slot.CreatedMs == NoTime ? null : slot.CreatedMs,
        slot.Queue == NoQueue ? null : _queues[slot.Queue],
        _types[slot.Type],
        slot.Worker == NoWorker ? null : _workers[slot.Worker]);

    private WaitingTask ToWaitingTask(in Slot slot, PlatformSettings settings, long nowMs)
    {
        var type = _types[slot.Type];
        return new WaitingTask(slot.Sid, StatusName((TaskLiveStatus)slot.Status), Math.Max(0, nowMs - slot.CreatedMs) / 1000.0,
            slot.Queue == NoQueue ? null : _queues[slot.Queue], type, settings.IsUrgent(type));
    }

    private StuckTask ToStuckTask(in Slot slot, StuckVerdict verdict, long nowMs)
    {
        var reasons = ImmutableArray.CreateBuilder<StuckReason>(3);
        void Add(StuckReasons reason, long sinceMs, int? workers)
        {
            if ((verdict.Reasons & reason) != 0)
            {
                reasons.Add(new StuckReason(StuckRules.Name(reason), DateTimeOffset.FromUnixTimeMilliseconds(sinceMs), (nowMs - sinceMs) / 1000.0, workers));
            }
        }

        Add(StuckReasons.InStatusTooLong, verdict.InStatusSinceMs, null);
        Add(StuckReasons.PendingWhileWorkersAvailable, verdict.AvailableSinceMs, verdict.AvailableWorkers);
        Add(StuckReasons.AcceptedWithoutWorkerEvent, verdict.SilentSinceMs, null);
        return new(slot.Sid, StatusName((TaskLiveStatus)slot.Status), (nowMs - slot.SinceMs) / 1000.0,
            slot.Queue == NoQueue ? null : _queues[slot.Queue], _types[slot.Type],
            reasons.DrainToImmutable(), DateTimeOffset.FromUnixTimeMilliseconds(verdict.SinceMs), slot.Worker == NoWorker ? null : _workers[slot.Worker]);
    }

    /// <summary>
    /// Judges slots for one read. A queue's available eligible workers are worked out once per read, at its first
    /// pending task (queues are few; their eligible workers tens): the cost per task stays a few comparisons.
    /// </summary>
    private struct Judge(LiveTaskSet set, PlatformSettings settings, long nowMs, LiveWorkerSet? workers, Func<string, string?>? activityOf)
    {
        private (bool Done, int Workers, long SinceMs)[]? _byQueue;

        public StuckVerdict Verdict(in Slot slot)
        {
            var status = (TaskLiveStatus)slot.Status;
            int available = 0;
            long availableSince = 0;
            long? lastEvent = null;
            if (workers is not null)
            {
                if (status == TaskLiveStatus.Pending && slot.Queue != NoQueue)
                {
                    (available, availableSince) = Available(slot.Queue);
                }
                else if (status == TaskLiveStatus.Assigned && slot.Worker != NoWorker)
                {
                    // The acceptance is itself an event of the worker: a worker not heard of since counts from it.
                    lastEvent = workers.LastEventMs(set._workers[slot.Worker]) ?? slot.SinceMs;
                }
            }

            return StuckRules.Judge(settings, status, slot.SinceMs, nowMs, available, availableSince, lastEvent);
        }

        private (int Workers, long SinceMs) Available(int queue)
        {
            _byQueue ??= new (bool, int, long)[set._queues.Count];
            ref var entry = ref _byQueue[queue];
            if (!entry.Done)
            {
                int count = 0;
                var since = long.MaxValue;
                foreach (var worker in workers!.EligibleFor(set._queues[queue]))
                {
                    if (StuckRules.IsAvailable(settings, activityOf!(worker), set.IsHolding(worker)))
                    {
                        count++;
                        since = Math.Min(since, workers.LastEventMs(worker) ?? since);
                    }
                }

                entry = (true, count, count == 0 ? 0 : since);
            }

            return (entry.Workers, entry.SinceMs);
        }
    }

    /// <summary>Every configured support type (zeros when none is open), and any other type open here (<c>unclassified</c>).</summary>
    private ImmutableSortedDictionary<string, LiveSupportTypeCounts> TypeCounts(TypeTally[] byType, PlatformSettings settings, long nowMs)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, LiveSupportTypeCounts>(StringComparer.Ordinal);
        for (var t = 0; t < settings.SupportTypes.Length; t++)
        {
            if (t != settings.UnclassifiedIndex)
            {
                var name = settings.SupportTypes[t];
                result[name] = new LiveSupportTypeCounts(0, 0, 0, 0, 0, 0, null, settings.IsUrgent(name));
            }
        }

        for (var t = 0; t < byType.Length; t++)
        {
            ref readonly var tally = ref byType[t];
            if (tally.Pending + tally.Reserved + tally.Assigned + tally.Wrapping == 0)
            {
                continue;
            }

            var name = _types[t];
            result[name] = new LiveSupportTypeCounts(
                tally.Pending, tally.Reserved, tally.Assigned, tally.Wrapping, tally.Waiting, tally.Stuck,
                tally.Waiting == 0 ? null : Math.Max(0, nowMs - tally.OldestCreatedMs) / 1000.0,
                settings.IsUrgent(name));
        }

        return result.ToImmutable();
    }

    private ImmutableArray<WaitingTasks> Groups(Dictionary<long, GroupTally> groups, PlatformSettings settings, int maxListed, long nowMs)
    {
        // Groups are few (queues × support types), but the same bounded selection keeps the answer small.
        var top = new PriorityQueue<(long Key, GroupTally Tally), (long Key, GroupTally Tally)>(Comparer<(long Key, GroupTally Tally)>.Create((a, b) => CompareGroups(b, a)));
        foreach (var (key, tally) in groups)
        {
            if (maxListed == 0)
            {
                break;
            }

            if (top.Count < maxListed)
            {
                top.Enqueue((key, tally), (key, tally));
            }
            else if (CompareGroups((key, tally), top.Peek()) < 0)
            {
                top.DequeueEnqueue((key, tally), (key, tally));
            }
        }

        var chosen = top.UnorderedItems.Select(e => e.Element).ToArray();
        Array.Sort(chosen, CompareGroups);
        return [.. chosen.Select(g =>
        {
            var type = _types[(int)(g.Key & 0xFFFF)];
            var queue = (int)(g.Key >> 16);
            return new WaitingTasks(queue == NoQueue ? null : _queues[queue], type, g.Tally.Count, Math.Max(0, nowMs - g.Tally.OldestCreatedMs) / 1000.0, settings.IsUrgent(type));
        })];
    }

    /// <summary>Longest wait first, then queue and support type in ordinal order (no queue first).</summary>
    private int CompareGroups((long Key, GroupTally Tally) a, (long Key, GroupTally Tally) b)
    {
        var c = a.Tally.OldestCreatedMs.CompareTo(b.Tally.OldestCreatedMs);
        if (c != 0)
        {
            return c;
        }

        int queueA = (int)(a.Key >> 16), queueB = (int)(b.Key >> 16);
        c = string.CompareOrdinal(queueA == NoQueue ? null : _queues[queueA], queueB == NoQueue ? null : _queues[queueB]);
        return c != 0 ? c : string.CompareOrdinal(_types[(int)(a.Key & 0xFFFF)], _types[(int)(b.Key & 0xFFFF)]);
    }

    /// <summary>One open task: 40 bytes.</summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Slot
    {
        public string Sid;
        public long SinceMs;
        public long CreatedMs;
        public int Queue;
        public int Worker;
        public ushort Type;
        public byte Status;
    }

    private struct TypeTally
    {
        public int Pending, Reserved, Assigned, Wrapping, Waiting, Stuck;
        public long OldestCreatedMs;
    }

    private struct GroupTally
    {
        public int Count;
        public long OldestCreatedMs;
    }

    /// <summary>Keeps the <c>k</c> entries with the smallest (time, Sid): a max-heap whose root is the one to drop next.</summary>
    private sealed class TopK(int k)
    {
        private static readonly Comparer<Entry> Reversed = Comparer<Entry>.Create(static (a, b) => Compare(b, a));
        private readonly PriorityQueue<Entry, Entry> _heap = new(Reversed);

        public void Offer(long timeMs, string sid, int slot)
        {
            if (k == 0)
            {
                return;
            }

            var entry = new Entry(timeMs, sid, slot);
            if (_heap.Count < k)
            {
                _heap.Enqueue(entry, entry);
            }
            else if (Compare(entry, _heap.Peek()) < 0)
            {
                _heap.DequeueEnqueue(entry, entry);
            }
        }

        public Entry[] InOrder()
        {
            var entries = _heap.UnorderedItems.Select(e => e.Element).ToArray();
            Array.Sort(entries, Compare);
            return entries;
        }

        private static int Compare(Entry a, Entry b)
        {
            var c = a.TimeMs.CompareTo(b.TimeMs);
            return c != 0 ? c : string.CompareOrdinal(a.Sid, b.Sid);
        }
    }

    private readonly record struct Entry(long TimeMs, string Sid, int Slot);

    /// <summary>Walks the slots without allocating.</summary>
    public struct Enumerator
    {
        private readonly LiveTaskSet _set;
        private int _at;

        internal Enumerator(LiveTaskSet set)
        {
            _set = set;
            _at = -1;
        }

        public readonly LiveTaskEntry Current
        {
            get
            {
                ref readonly var slot = ref _set._slots[_at];
                return new LiveTaskEntry(slot.Sid, (TaskLiveStatus)slot.Status, slot.SinceMs, slot.CreatedMs == NoTime ? null : slot.CreatedMs,
                    slot.Queue == NoQueue ? null : _set._queues[slot.Queue], _set._types[slot.Type], slot.Worker == NoWorker ? null : _set._workers[slot.Worker]);
            }
        }

        public bool MoveNext() => ++_at < _set._count;
    }
}

/// <summary>One open task as <see cref="LiveTaskSet"/> enumerates it.</summary>
public readonly record struct LiveTaskEntry(string TaskSid, TaskLiveStatus Status, long SinceMs, long? CreatedMs, string? TaskQueueSid, string SupportType, string? WorkerSid);

/// <summary>The task part of a live answer: exact counts, and the capped lists with their totals.</summary>
public sealed record LiveTaskView(
    LiveTaskCounts Counts,
    ImmutableArray<WaitingTasks> Waiting,
    int WaitingTotal,
    ImmutableArray<WaitingTask> LongestWaiting,
    int LongestWaitingTotal,
    ImmutableArray<StuckTask> Stuck,
    int StuckTotal);

/// <summary>
/// <see cref="LiveTaskSet"/> as stored: one column per field, queue and support type names once each. A few
/// arrays instead of an object per task keep the grain state small to write and to read back.
/// </summary>
[GenerateSerializer, Alias("lifeline.LiveTaskSet")]
internal struct LiveTaskSetSurrogate
{
    [Id(0)] public string[] Sids;
    [Id(1)] public byte[] Statuses;
    [Id(2)] public long[] SinceMs;
    [Id(3)] public long[] CreatedMs;
    [Id(4)] public int[] Queues;
    [Id(5)] public int[] Types;
    [Id(6)] public string[] QueueNames;
    [Id(7)] public string[] TypeNames;

    /// <summary>The worker holding each task (an index in <see cref="WorkerNames"/>, −1 for none); null in sets written before.</summary>
    [Id(8)] public int[]? Workers;
    [Id(9)] public string[]? WorkerNames;
}

[RegisterConverter]
internal sealed class LiveTaskSetConverter : IConverter<LiveTaskSet, LiveTaskSetSurrogate>
{
    public LiveTaskSet ConvertFromSurrogate(in LiveTaskSetSurrogate surrogate) => LiveTaskSet.FromColumns(surrogate);

    public LiveTaskSetSurrogate ConvertToSurrogate(in LiveTaskSet value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToColumns();
    }
}
