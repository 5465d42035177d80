using System.Collections.Immutable;

namespace LifelineRealtime.Domain.Metrics;

/// <summary>Operations on multisets kept as sorted arrays (task contributions, timeline intervals).</summary>
public static class SortedMultiset
{
    /// <summary>
    /// The signed difference <paramref name="next"/> − <paramref name="previous"/> in one linear merge:
    /// <paramref name="delta"/> is called with −1 for each item only in <paramref name="previous"/> and +1
    /// for each item only in <paramref name="next"/>. Both arrays must be sorted by <typeparamref name="T"/>'s order.
    /// </summary>
    public static ImmutableArray<TDelta> Diff<T, TDelta>(ImmutableArray<T> previous, ImmutableArray<T> next, Func<T, int, TDelta> delta)
        where T : IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(delta);
        var result = ImmutableArray.CreateBuilder<TDelta>();
        int i = 0, j = 0;
        while (i < previous.Length || j < next.Length)
        {
            var c = i == previous.Length ? 1 : j == next.Length ? -1 : previous[i].CompareTo(next[j]);
            if (c == 0)
            {
                i++;
                j++;
            }
            else if (c < 0)
            {
                result.Add(delta(previous[i++], -1));
            }
            else
            {
                result.Add(delta(next[j++], +1));
            }
        }

        return result.DrainToImmutable();
    }
}
