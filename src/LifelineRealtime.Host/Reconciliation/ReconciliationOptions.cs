using System.Globalization;
using LifelineRealtime.Domain.Reconciliation;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Reconciliation;

/// <summary>
/// <c>Lifeline:Reconciliation</c>: the nightly comparison of each queue's day with TaskRouter's cumulative statistics
/// (docs/reconciliation.md). Off unless <see cref="Enabled"/>: the embedded demo's accounts are fake, and an engine
/// should call Twilio on a schedule only when someone has asked it to.
/// </summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Lifeline:Reconciliation";

    /// <summary>Runs the nightly reconciliation. The on-demand run (<c>POST …/reconciliation</c>) is there either way.</summary>
    public bool Enabled { get; set; }

    /// <summary>Local time (<c>HH:mm</c>, in each platform's zone) of the nightly run for the day before.</summary>
    public string RunAt { get; set; } = "02:30";

    /// <summary>How far ours may be from TaskRouter's figure and still agree.</summary>
    public ToleranceOptions Tolerance { get; set; } = new();

    /// <summary>How many recent days <c>GET …/reconciliation</c> lists.</summary>
    public int RecentDays { get; set; } = 14;

    /// <summary>How far back an on-demand run may go: TaskRouter keeps cumulative statistics 35 days (twilio README §6.3).</summary>
    public int MaxDaysBack { get; set; } = 35;

    public TimeOnly RunAtTime => TimeOnly.ParseExact(RunAt, "HH:mm", CultureInfo.InvariantCulture);

    public ReconciliationTolerance ToTolerance() => new(
        Tolerance.Counts.ToTolerance(),
        Tolerance.WaitSeconds.ToTolerance(),
        Tolerance.Measures.ToDictionary(m => m.Key, m => m.Value.ToTolerance(), StringComparer.Ordinal));

    /// <summary>Every failure, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string S = SectionName;
        var failures = new List<string>();
        if (!TimeOnly.TryParseExact(RunAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            failures.Add($"{S}:RunAt must be a local time as HH:mm (e.g. 02:30), got '{RunAt}'.");
        }

        Check(failures, $"{S}:Tolerance:Counts", Tolerance.Counts);
        Check(failures, $"{S}:Tolerance:WaitSeconds", Tolerance.WaitSeconds);
        foreach (var (name, tolerance) in Tolerance.Measures)
        {
            if (!ReconciliationMapping.All.Any(m => m.Name == name))
            {
                failures.Add($"{S}:Tolerance:Measures:{name} is not a reconciled measure (one of {string.Join(", ", ReconciliationMapping.All.Select(m => m.Name))}).");
            }

            Check(failures, $"{S}:Tolerance:Measures:{name}", tolerance);
        }

        if (RecentDays is < 1 or > 400)
        {
            failures.Add($"{S}:RecentDays must be between 1 and 400 (got {RecentDays}).");
        }

        if (MaxDaysBack is < 1 or > 400)
        {
            failures.Add($"{S}:MaxDaysBack must be between 1 and 400 (got {MaxDaysBack}).");
        }

        return failures;
    }

    private static void Check(List<string> failures, string key, ToleranceValue value)
    {
        if (!(value.Absolute >= 0) || double.IsInfinity(value.Absolute))
        {
            failures.Add($"{key}:Absolute must be 0 or more (got {value.Absolute.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!(value.Relative is >= 0 and <= 1))
        {
            failures.Add($"{key}:Relative must be a fraction from 0 to 1 (got {value.Relative.ToString(CultureInfo.InvariantCulture)}).");
        }
    }
}

/// <summary>Counts ±0 or 1%; the wait total ±1 s or 1%; <see cref="Measures"/> overrides one measure by TaskRouter's name.</summary>
public sealed class ToleranceOptions
{
    public ToleranceValue Counts { get; set; } = new() { Absolute = 0, Relative = 0.01 };

    public ToleranceValue WaitSeconds { get; set; } = new() { Absolute = 1, Relative = 0.01 };

    /// <summary>By TaskRouter's name, e.g. <c>Measures:reservations_accepted</c>.</summary>
    public Dictionary<string, ToleranceValue> Measures { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Within when |ours − theirs| ≤ max(Absolute, Relative × |theirs|).</summary>
public sealed class ToleranceValue
{
    public double Absolute { get; set; }

    public double Relative { get; set; }

    public MeasureTolerance ToTolerance() => new(Absolute, Relative);
}

internal sealed class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconciliationOptions options)
    {
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
