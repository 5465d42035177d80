using System.Collections.Immutable;
using System.Globalization;

namespace LifelineRealtime.Domain.Platforms;

/// <summary>A warn and a bad level of one measure: a figure at or past a level is shown in its colour, shape and word.</summary>
public sealed class ThresholdLevelOptions
{
    public double Warn { get; set; }

    public double Bad { get; set; }
}

/// <summary>
/// The colour thresholds of a platform's figures, bound from <c>Lifeline:Platforms:N:Thresholds</c>. The
/// initializers below are the defaults, the only copy: a platform that sets nothing gets them, and one that sets
/// <c>Thresholds:ServiceLevel:Warn</c> alone keeps the default <c>Bad</c> (the binder fills the existing object).
/// Rates are fractions (0.8 = 80%), waits are seconds.
/// </summary>
public sealed class FigureThresholdOptions
{
    /// <summary>Higher is better: under <c>Warn</c> is near limit, under <c>Bad</c> over it.</summary>
    public ThresholdLevelOptions ServiceLevel { get; set; } = new() { Warn = 0.8, Bad = 0.6 };

    public ThresholdLevelOptions AbandonRate { get; set; } = new() { Warn = 0.05, Bad = 0.1 };

    public ThresholdLevelOptions RejectRate { get; set; } = new() { Warn = 0.1, Bad = 0.2 };

    /// <summary>RONA: reservations that timed out.</summary>
    public ThresholdLevelOptions TimeoutRate { get; set; } = new() { Warn = 0.05, Bad = 0.1 };

    public ThresholdLevelOptions TransferRate { get; set; } = new() { Warn = 0.15, Bad = 0.3 };

    public ThresholdLevelOptions AvgWait { get; set; } = new() { Warn = 60, Bad = 120 };

    /// <summary>
    /// The longest wait now, for support types that are not urgent and for all types together. An urgent type's
    /// longest wait is derived from its <c>UrgentWaitAlertSeconds</c> instead (<see cref="FigureThresholds"/>).
    /// </summary>
    public ThresholdLevelOptions LongestWait { get; set; } = new() { Warn = 60, Bad = 120 };
}

/// <summary>One measure's levels as pages read them: which way is better, and where near limit and over limit start.</summary>
public sealed record FigureThreshold(bool HigherIsBetter, double Warn, double Bad);

/// <summary>
/// A platform's thresholds compiled at start and served on <c>GET /api/platforms</c>, so every page colours a figure
/// by its own platform's levels. <see cref="LongestWaitBySupportType"/> holds the urgent support types: their
/// longest wait is over limit at the wait that raises the urgent alert (<c>UrgentWaitAlertSeconds</c>), so the
/// figure turns red when the banner goes up, and near limit from half of it.
/// </summary>
public sealed record FigureThresholds(
    FigureThreshold ServiceLevel,
    FigureThreshold AbandonRate,
    FigureThreshold RejectRate,
    FigureThreshold TimeoutRate,
    FigureThreshold TransferRate,
    FigureThreshold AvgWait,
    FigureThreshold LongestWait,
    ImmutableSortedDictionary<string, FigureThreshold> LongestWaitBySupportType)
{
    /// <summary>An urgent type's longest wait is near limit from this fraction of its alert wait.</summary>
    public const double UrgentWarnFraction = 0.5;

    public static FigureThresholds Create(FigureThresholdOptions options, IReadOnlyDictionary<string, double> urgentWaitAlertSeconds)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(urgentWaitAlertSeconds);
        static FigureThreshold Lower(ThresholdLevelOptions t) => new(false, t.Warn, t.Bad);
        return new FigureThresholds(
            new FigureThreshold(true, options.ServiceLevel.Warn, options.ServiceLevel.Bad),
            Lower(options.AbandonRate),
            Lower(options.RejectRate),
            Lower(options.TimeoutRate),
            Lower(options.TransferRate),
            Lower(options.AvgWait),
            Lower(options.LongestWait),
            urgentWaitAlertSeconds.ToImmutableSortedDictionary(
                p => p.Key, p => new FigureThreshold(false, p.Value * UrgentWarnFraction, p.Value), StringComparer.Ordinal));
    }

    /// <summary>Every problem with the thresholds, each naming its key under <paramref name="key"/> (<c>…:Thresholds</c>).</summary>
    public static IReadOnlyList<string> Validate(string key, FigureThresholdOptions? options)
    {
        var failures = new List<string>();
        if (options is null)
        {
            return failures;
        }

        Rate(nameof(options.ServiceLevel), options.ServiceLevel, higherIsBetter: true);
        Rate(nameof(options.AbandonRate), options.AbandonRate, higherIsBetter: false);
        Rate(nameof(options.RejectRate), options.RejectRate, higherIsBetter: false);
        Rate(nameof(options.TimeoutRate), options.TimeoutRate, higherIsBetter: false);
        Rate(nameof(options.TransferRate), options.TransferRate, higherIsBetter: false);
        Seconds(nameof(options.AvgWait), options.AvgWait);
        Seconds(nameof(options.LongestWait), options.LongestWait);
        return failures;

        void Rate(string name, ThresholdLevelOptions? levels, bool higherIsBetter)
        {
            if (levels is null)
            {
                return;
            }

            if (!(levels.Warn is >= 0 and <= 1) || !(levels.Bad is >= 0 and <= 1))
            {
                failures.Add($"{key}:{name}:Warn and Bad must be fractions from 0 to 1 (0.8 = 80%)");
                return;
            }

            Order(name, levels, higherIsBetter);
        }

        void Seconds(string name, ThresholdLevelOptions? levels)
        {
            if (levels is null)
            {
                return;
            }

            if (!(levels.Warn > 0) || !(levels.Bad > 0) || double.IsInfinity(levels.Warn) || double.IsInfinity(levels.Bad))
            {
                failures.Add($"{key}:{name}:Warn and Bad must be positive seconds");
                return;
            }

            Order(name, levels, higherIsBetter: false);
        }

        void Order(string name, ThresholdLevelOptions levels, bool higherIsBetter)
        {
            var (warn, bad) = (levels.Warn.ToString(CultureInfo.InvariantCulture), levels.Bad.ToString(CultureInfo.InvariantCulture));
            if (higherIsBetter && !(levels.Warn > levels.Bad))
            {
                failures.Add($"{key}:{name}:Warn ({warn}) must be above Bad ({bad}): a higher {name} is better");
            }
            else if (!higherIsBetter && !(levels.Warn < levels.Bad))
            {
                failures.Add($"{key}:{name}:Warn ({warn}) must be below Bad ({bad}): a lower {name} is better");
            }
        }
    }
}
