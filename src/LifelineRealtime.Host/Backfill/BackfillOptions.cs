using LifelineRealtime.Domain.Backfill;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Backfill;

/// <summary><c>Lifeline:Backfill</c>: when and how far the engine reads TaskRouter's Events resource back into the journal (docs/backfill.md).</summary>
public sealed class BackfillOptions
{
    public const string SectionName = "Lifeline:Backfill";

    /// <summary>
    /// Whether fills run on start and on the schedule. Unset: on, unless the embedded simulator runs
    /// (<c>Lifeline:Simulator:Enabled</c>), whose platforms are not real Twilio accounts. An on-demand fill
    /// (<c>POST /api/admin/backfill</c>) runs either way.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>How often quiet windows and failed fills are looked for and read.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How much before a gap's start is read again: events arrive late and out of order. Duplicates are harmless.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back a gap is read; older is reported as unrecoverable. At most 30 days, TaskRouter's retention.</summary>
    public TimeSpan MaxLookBack { get; set; } = GapRules.Retention;

    /// <summary>A stretch at least this long in which the webhook received nothing for a platform, while the engine was up, is read back.</summary>
    public TimeSpan QuietGap { get; set; } = TimeSpan.FromMinutes(10);

    public bool IsEnabled(bool simulatorEnabled) => Enabled ?? !simulatorEnabled;

    public GapRules Rules => new(Overlap, MaxLookBack, QuietGap);

    /// <summary>Every failure, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string S = SectionName;
        var failures = new List<string>();
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:Interval must be from 00:00:01 to 1.00:00:00 (got {Interval}).");
        }

        if (Overlap < TimeSpan.Zero || Overlap > TimeSpan.FromHours(6))
        {
            failures.Add($"{S}:Overlap must be from 00:00:00 to 06:00:00 (got {Overlap}).");
        }

        if (MaxLookBack <= TimeSpan.Zero || MaxLookBack > GapRules.Retention)
        {
            failures.Add($"{S}:MaxLookBack must be more than 00:00:00 and at most 30.00:00:00, TaskRouter's retention of events (got {MaxLookBack}).");
        }

        if (QuietGap < TimeSpan.FromSeconds(1) || QuietGap > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:QuietGap must be from 00:00:01 to 1.00:00:00 (got {QuietGap}).");
        }

        return failures;
    }
}

internal sealed class BackfillOptionsValidator : IValidateOptions<BackfillOptions>
{
    public ValidateOptionsResult Validate(string? name, BackfillOptions options)
    {
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
