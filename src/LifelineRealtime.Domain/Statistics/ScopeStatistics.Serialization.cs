using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;

namespace LifelineRealtime.Domain.Statistics;

/// <summary>
/// A compact, versioned binary form of a scope's statistics, so a grain can persist them. Support types
/// and activities are written by name and mapped back by name on read: adding or reordering support
/// types in the configuration never moves counts to the wrong type (a type that is no longer configured
/// reads as <c>unclassified</c>). Only non-zero values are written.
/// </summary>
public sealed partial class ScopeStatistics
{
    /// <summary>2: each histogram carries its list of largest values (the exact max). 1 is still read.</summary>
    private const int FormatVersion = 2;

    /// <summary>Writes the statistics (ring, daily buckets, open activities).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(FormatVersion);
        writer.Write(_settings.SupportTypes.Length);
        foreach (var type in _settings.SupportTypes)
        {
            writer.Write(type);
        }

        writer.Write(_activityNames.Count);
        foreach (var name in _activityNames)
        {
            writer.Write(name);
        }

        var liveSlots = 0;
        for (var i = 0; i < RingMinutes; i++)
        {
            if (_ringStamps[i] != long.MinValue)
            {
                liveSlots++;
            }
        }

        writer.Write(liveSlots);
        for (var i = 0; i < RingMinutes; i++)
        {
            if (_ringStamps[i] != long.MinValue)
            {
                writer.Write(i);
                writer.Write(_ringStamps[i]);
                WriteBucket(writer, _ring[i]!);
            }
        }

        writer.Write(_days.Count);
        foreach (var (day, bucket) in _days)
        {
            writer.Write(day);
            WriteBucket(writer, bucket);
        }

        writer.Write(_open.Count);
        foreach (var open in _open.Values)
        {
            writer.Write(open.WorkerSid);
            writer.Write(open.Team);
            writer.Write(open.Activity);
            writer.Write(open.StartMs);
        }
    }

    /// <summary>Reads statistics written by <see cref="WriteTo"/> for the given scope and platform.</summary>
    /// <exception cref="InvalidDataException">The data is not in a known format.</exception>
    public static ScopeStatistics ReadFrom(BinaryReader reader, ScopeKey scope, PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(settings);
        var version = reader.ReadInt32();
        if (version is not (1 or FormatVersion))
        {
            throw new InvalidDataException($"unknown scope statistics format version {version}");
        }

        var statistics = new ScopeStatistics(scope, settings);
        var storedTypes = new int[reader.ReadInt32()];
        for (var i = 0; i < storedTypes.Length; i++)
        {
            var index = settings.SupportTypeIndex(reader.ReadString());
            storedTypes[i] = index < 0 ? settings.UnclassifiedIndex : index;
        }

        var activities = new int[reader.ReadInt32()];
        for (var i = 0; i < activities.Length; i++)
        {
            activities[i] = statistics.ActivityIndex(reader.ReadString());
        }

        var liveSlots = reader.ReadInt32();
        for (var i = 0; i < liveSlots; i++)
        {
            var slot = reader.ReadInt32();
            statistics._ringStamps[slot] = reader.ReadInt64();
            ReadBucket(reader, statistics.RingBucket(slot), storedTypes, activities, version);
        }

        var days = reader.ReadInt32();
        for (var i = 0; i < days; i++)
        {
            var day = reader.ReadInt32();
            var bucket = new MetricBucket(statistics._supportTypes);
            var compacted = ReadBucket(reader, bucket, storedTypes, activities, version);
            if (compacted)
            {
                bucket.Compact();
            }

            statistics._days.Add(day, bucket);
        }

        var open = reader.ReadInt32();
        for (var i = 0; i < open; i++)
        {
            var activity = new OpenActivity(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadInt64());
            statistics.ActivityIndex(activity.Activity);
            statistics._open[activity.WorkerSid] = activity;
        }

        return statistics;
    }

    private static void WriteBucket(BinaryWriter writer, MetricBucket bucket)
    {
        writer.Write(bucket.Compacted);
        var counts = bucket.Counts;
        writer.Write(CountNonZero(counts));
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0)
            {
                writer.Write(i);
                writer.Write(counts[i]);
            }
        }

        var durations = bucket.Durations;
        var histograms = 0;
        foreach (var histogram in durations)
        {
            if (histogram is { Count: not 0 } || histogram is { Sum: not 0 })
            {
                histograms++;
            }
        }

        writer.Write(histograms);
        for (var i = 0; i < durations.Length; i++)
        {
            if (durations[i] is not { } histogram || (histogram.Count == 0 && histogram.Sum == 0))
            {
                continue;
            }

            writer.Write(i);
            var bins = new List<(int Bin, long Count, long Sum)>();
            histogram.ForEachBin((bin, count, sum) => bins.Add((bin, count, sum)));
            writer.Write(bins.Count);
            foreach (var (bin, count, sum) in bins)
            {
                writer.Write(bin);
                writer.Write(count);
                writer.Write(sum);
            }

            writer.Write(histogram.Floor);
            var top = histogram.Top().ToList();
            writer.Write(top.Count);
            foreach (var (value, count) in top)
            {
                writer.Write(value);
                writer.Write(count);
            }
        }

        var activityMs = bucket.ActivityMs;
        writer.Write(CountNonZero(activityMs));
        for (var i = 0; i < activityMs.Length; i++)
        {
            if (activityMs[i] != 0)
            {
                writer.Write(i);
                writer.Write(activityMs[i]);
            }
        }
    }

    private static bool ReadBucket(BinaryReader reader, MetricBucket bucket, int[] storedTypes, int[] activities, int version)
    {
        var compacted = reader.ReadBoolean();
        var counts = reader.ReadInt32();
        for (var i = 0; i < counts; i++)
        {
            var index = reader.ReadInt32();
            var value = reader.ReadInt64();
            var type = storedTypes[index / Measures.CountMeasures];
            bucket.Counts[(type * Measures.CountMeasures) + (index % Measures.CountMeasures)] += value;
        }

        var histograms = reader.ReadInt32();
        for (var i = 0; i < histograms; i++)
        {
            var index = reader.ReadInt32();
            var type = storedTypes[index / Measures.DurationMeasures];
            var target = (type * Measures.DurationMeasures) + (index % Measures.DurationMeasures);
            var histogram = bucket.Durations[target] ??= new LogHistogram();
            var bins = new (int Bin, long Count, long Sum)[reader.ReadInt32()];
            for (var b = 0; b < bins.Length; b++)
            {
                bins[b] = (reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64());
            }

            if (version == 1)
            {
                histogram.AddStored(bins, long.MinValue, null);
                continue;
            }

            var floor = reader.ReadInt64();
            var top = new (long Value, long Count)[reader.ReadInt32()];
            for (var t = 0; t < top.Length; t++)
            {
                top[t] = (reader.ReadInt64(), reader.ReadInt64());
            }

            histogram.AddStored(bins, floor, top);
        }

        var activityCount = reader.ReadInt32();
        for (var i = 0; i < activityCount; i++)
        {
            var index = reader.ReadInt32();
            bucket.AddActivity(activities[index], reader.ReadInt64());
        }

        return compacted;
    }

    private static int CountNonZero(ReadOnlySpan<long> values)
    {
        var n = 0;
        foreach (var value in values)
        {
            if (value != 0)
            {
                n++;
            }
        }

        return n;
    }
}
