namespace LifelineRealtime.Grains.Stats;

/// <summary>Live answer settings (<c>Lifeline:Live</c>).</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Lifeline:Live";

    /// <summary>Largest accepted <see cref="MaxListed"/>: a live answer stays tens of kilobytes.</summary>
    public const int MaxListedLimit = 1000;

    /// <summary>
    /// Entries per list of a live answer (waiting groups, longest waiting tasks, stuck tasks, members of each
    /// activity). The counts beside each list always cover everything; a list shows the first this many.
    /// </summary>
    public int MaxListed { get; set; } = 50;
}
