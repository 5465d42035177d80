using System.Collections.Immutable;

namespace LifelineRealtime.Domain.Metrics;

/// <summary>
/// What one task adds to the statistics: a multiset of <see cref="MeasureSample"/>, kept sorted so two
/// contributions compare and diff in one linear pass. A function of the task's event set only, never of
/// arrival order, which is what lets live grains, crash replay and the offline fold agree.
/// </summary>
public sealed class Contribution : IEquatable<Contribution>
{
    public static readonly Contribution Empty = new([]);

    private Contribution(ImmutableArray<MeasureSample> samples) => Samples = samples;

    /// <summary>Sorted by <see cref="MeasureSample.CompareTo"/>; duplicates are meaningful (a multiset).</summary>
    public ImmutableArray<MeasureSample> Samples { get; }

    public int Count => Samples.Length;

    public static Contribution From(List<MeasureSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return Empty;
        }

        samples.Sort();
        return new Contribution([.. samples]);
    }

    /// <summary>
    /// The signed multiset difference <paramref name="next"/> − <paramref name="previous"/>. Applying it to
    /// statistics that hold <paramref name="previous"/> leaves them holding <paramref name="next"/>; when
    /// <paramref name="next"/> only adds samples the result is just those additions.
    /// </summary>
    public static ImmutableArray<SampleDelta> Diff(Contribution previous, Contribution next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        if (ReferenceEquals(previous, next))
        {
            return [];
        }

        return SortedMultiset.Diff(previous.Samples, next.Samples, static (sample, count) => new SampleDelta(sample, count));
    }

    public bool Equals(Contribution? other) => other is not null && Samples.AsSpan().SequenceEqual(other.Samples.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as Contribution);

    public override int GetHashCode() => Samples.Length;
}
