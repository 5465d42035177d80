namespace LifelineRealtime.Domain.Metrics;

/// <summary>
/// The measures of design §5. Counts come first, then durations; the numeric values index the
/// statistics arrays, so they are fixed.
/// </summary>
public enum Measure : byte
{
    Offered = 0,
    Handled = 1,
    Abandoned = 2,
    Reservations = 3,
    Rejected = 4,
    TimedOut = 5,
    Transferred = 6,
    ShortAbandoned = 7,
    AnsweredInThreshold = 8,

    WaitSeconds = 9,
    AbandonedWaitSeconds = 10,
    TalkSeconds = 11,
    WrapSeconds = 12,
    HandleSeconds = 13,
}

public static class Measures
{
    public const int CountMeasures = 9;
    public const int DurationMeasures = 5;

    public static bool IsDuration(this Measure measure) => (int)measure >= CountMeasures;

    /// <summary>Index among the duration measures (0 = wait … 4 = handle).</summary>
    public static int DurationIndex(this Measure measure) => (int)measure - CountMeasures;
}

/// <summary>
/// One measure sample of a task's contribution: a count (<see cref="Value"/> = 1) or a duration in
/// integer milliseconds, booked to <see cref="Scope"/> at <see cref="TimeMs"/>, the event time of the
/// event that completes the measure. <see cref="SupportType"/> is the platform's interned index
/// (<see cref="Platforms.PlatformSettings.SupportTypes"/>), so applying a sample needs no string lookup.
/// </summary>
public readonly record struct MeasureSample(ScopeKey Scope, Measure Measure, int SupportType, long TimeMs, long Value) : IComparable<MeasureSample>
{
    public int CompareTo(MeasureSample other)
    {
        var c = Scope.CompareTo(other.Scope);
        if (c != 0)
        {
            return c;
        }

        c = ((int)Measure).CompareTo((int)other.Measure);
        if (c != 0)
        {
            return c;
        }

        c = SupportType.CompareTo(other.SupportType);
        if (c != 0)
        {
            return c;
        }

        c = TimeMs.CompareTo(other.TimeMs);
        return c != 0 ? c : Value.CompareTo(other.Value);
    }

    public static bool operator <(MeasureSample left, MeasureSample right) => left.CompareTo(right) < 0;

    public static bool operator <=(MeasureSample left, MeasureSample right) => left.CompareTo(right) <= 0;

    public static bool operator >(MeasureSample left, MeasureSample right) => left.CompareTo(right) > 0;

    public static bool operator >=(MeasureSample left, MeasureSample right) => left.CompareTo(right) >= 0;
}

/// <summary>A sample with a multiplicity: positive adds, negative removes.</summary>
public readonly record struct SampleDelta(MeasureSample Sample, int Count);
