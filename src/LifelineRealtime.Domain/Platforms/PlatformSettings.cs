using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Platforms;

/// <summary>
/// A platform's options compiled once at start: the resolved time zone, compiled support-type rules,
/// interned support types (indices used by the statistics arrays) and thresholds in milliseconds.
/// Immutable and shared by every lifecycle, timeline and statistics object of the platform.
/// </summary>
public sealed class PlatformSettings
{
    private readonly FrozenDictionary<string, int> _supportTypeIndex;
    private readonly ImmutableArray<CompiledRule> _rules;
    private readonly long[] _serviceLevelMs;
    private readonly FrozenSet<string> _offlineActivities;
    private readonly FrozenSet<string> _availableActivities;
    private readonly string[] _teamPath;
    private readonly string[][] _customerNamePaths;

    private PlatformSettings(PlatformOptions options, TimeZoneInfo timeZone, ImmutableArray<CompiledRule> rules)
    {
        Options = options;
        Id = options.Id;
        TimeZone = timeZone;
        _rules = rules;
        // Configured types first, in configuration order; unclassified is always the last index so a
        // snapshot can list the configured ones and add it only when it saw traffic.
        SupportTypes = [.. options.SupportTypes, Platforms.SupportTypes.Unclassified];
        UnclassifiedIndex = SupportTypes.Length - 1;
        _supportTypeIndex = SupportTypes.Select((name, index) => KeyValuePair.Create(name, index)).ToFrozenDictionary(StringComparer.Ordinal);
        _teamPath = options.TeamAttribute.Split('.');
        _customerNamePaths = [.. (options.CustomerNameAttributes is { Count: > 0 } paths ? paths : DefaultCustomerNameAttributes).Select(p => p.Split('.'))];
        _offlineActivities = (options.OfflineActivities.Count == 0 ? ["Offline"] : options.OfflineActivities).ToFrozenSet(StringComparer.Ordinal);
        _availableActivities = (options.AvailableActivities.Count == 0 ? ["Available"] : options.AvailableActivities).ToFrozenSet(StringComparer.Ordinal);
        var defaultMs = SecondsToMs(options.ServiceLevelSeconds["default"]);
        _serviceLevelMs = [.. SupportTypes.Select(type => options.ServiceLevelSeconds.TryGetValue(type, out var s) ? SecondsToMs(s) : defaultMs)];
        ShortAbandonMs = SecondsToMs(options.ShortAbandonSeconds);
        UrgentWaitAlertMs = options.UrgentWaitAlertSeconds.ToFrozenDictionary(p => p.Key, p => SecondsToMs(p.Value), StringComparer.Ordinal);
        StuckPendingMs = (long)options.StuckThresholds.Pending.TotalMilliseconds;
        StuckReservedMs = (long)options.StuckThresholds.Reserved.TotalMilliseconds;
        StuckWrappingMs = (long)options.StuckThresholds.Wrapping.TotalMilliseconds;
        StuckPendingWhileAvailableMs = (long)options.StuckThresholds.PendingWhileAvailable.TotalMilliseconds;
        StuckAcceptedWithoutWorkerEventMs = (long)options.StuckThresholds.AcceptedWithoutWorkerEvent.TotalMilliseconds;
        Thresholds = FigureThresholds.Create(options.Thresholds, options.UrgentWaitAlertSeconds);
    }

    /// <summary>Daily buckets kept per scope (design §5: at least 400 days).</summary>
    public const int DailyRetentionDays = 400;

    public string Id { get; }

    /// <summary>The options these settings were compiled from (name, channel, Sids, the auth token): read, never changed after start.</summary>
    public PlatformOptions Options { get; }

    /// <summary>The configured support types, in configuration order (<see cref="SupportTypes"/> without <c>unclassified</c>).</summary>
    public IEnumerable<string> ConfiguredSupportTypes => SupportTypes.Take(UnclassifiedIndex);

    public TimeZoneInfo TimeZone { get; }

    /// <summary>IANA name of <see cref="TimeZone"/>, as reported in windows.</summary>
    public string TimeZoneName => TimeZone.Id;

    /// <summary>Configured support types in configuration order, then <c>unclassified</c>.</summary>
    public ImmutableArray<string> SupportTypes { get; }

    public int UnclassifiedIndex { get; }

    public long ShortAbandonMs { get; }

    /// <summary>The urgent support types and the wait (ms) at which each raises an alert: <c>UrgentWaitAlertSeconds</c>.</summary>
    public FrozenDictionary<string, long> UrgentWaitAlertMs { get; }

    /// <summary>
    /// True for the support types where a waiting crisis supporter is a person at risk: those configured in
    /// <c>UrgentWaitAlertSeconds</c> (by default <c>imminent</c> and <c>safety</c>). The live state's urgent
    /// counts and flags, and the alerts, all ask here.
    /// </summary>
    public bool IsUrgent(string supportType) => UrgentWaitAlertMs.ContainsKey(supportType);

    /// <summary>
    /// The urgent-wait alert rule, the only copy: a task of an urgent support type that has waited at least its
    /// threshold (<c>wait ≥ threshold</c>, so a wait equal to it alerts).
    /// </summary>
    public bool IsUrgentWaitAlert(string supportType, long waitMs) =>
        UrgentWaitAlertMs.TryGetValue(supportType, out var thresholdMs) && waitMs >= thresholdMs;

    public long StuckPendingMs { get; }

    /// <summary>The figures' colour thresholds, as the pages get them on <c>GET /api/platforms</c>.</summary>
    public FigureThresholds Thresholds { get; }

    public long StuckReservedMs { get; }

    public long StuckWrappingMs { get; }

    /// <summary><c>StuckThresholds:PendingWhileAvailable</c> in milliseconds.</summary>
    public long StuckPendingWhileAvailableMs { get; }

    /// <summary><c>StuckThresholds:AcceptedWithoutWorkerEvent</c> in milliseconds.</summary>
    public long StuckAcceptedWithoutWorkerEventMs { get; }

    /// <summary>
    /// The stuck rule, the only copy: a task pending, reserved or wrapping for longer than that status's
    /// <c>StuckThresholds</c> entry is stuck; a task assigned, completed or canceled never is.
    /// </summary>
    public bool IsStuck(TaskLiveStatus status, long inStatusMs) => status switch
    {
        TaskLiveStatus.Pending => inStatusMs > StuckPendingMs,
        TaskLiveStatus.Reserved => inStatusMs > StuckReservedMs,
        TaskLiveStatus.Wrapping => inStatusMs > StuckWrappingMs,
        _ => false,
    };

    /// <summary>Builds the settings, throwing <see cref="ArgumentException"/> that lists every bad key.</summary>
    public static PlatformSettings Create(PlatformOptions options, string keyPrefix = "Lifeline:Platforms")
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Validate(options, keyPrefix);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", failures), nameof(options));
        }

        var rules = options.SupportTypeRules.Select(rule => rule.Attribute is { } path
            ? new CompiledRule(path.Split('.'), null)
            : new CompiledRule(null, new Regex(rule.QueueNamePattern!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100))));
        return new PlatformSettings(options, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), [.. rules]);
    }

    /// <summary>Every problem with the options, each naming its configuration key.</summary>
    public static IReadOnlyList<string> Validate(PlatformOptions options, string keyPrefix = "Lifeline:Platforms")
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = $"{keyPrefix}:{(string.IsNullOrEmpty(options.Id) ? "?" : options.Id)}";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Id))
        {
            failures.Add($"{key}:Id is required");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone ?? "", out _))
        {
            failures.Add($"{key}:TimeZone '{options.TimeZone}' is not a known time zone");
        }

        if (options.SupportTypes.Count == 0)
        {
            failures.Add($"{key}:SupportTypes must list at least one support type");
        }

        foreach (var type in options.SupportTypes)
        {
            if (string.IsNullOrWhiteSpace(type) || type == Platforms.SupportTypes.Unclassified)
            {
                failures.Add($"{key}:SupportTypes contains the reserved or empty value '{type}'");
            }
        }

        if (options.SupportTypes.Distinct(StringComparer.Ordinal).Count() != options.SupportTypes.Count)
        {
            failures.Add($"{key}:SupportTypes contains duplicates");
        }

        for (var i = 0; i < options.SupportTypeRules.Count; i++)
        {
            var rule = options.SupportTypeRules[i];
            if ((rule.Attribute is null) == (rule.QueueNamePattern is null))
            {
                failures.Add($"{key}:SupportTypeRules:{i} must set exactly one of Attribute or QueueNamePattern");
            }
            else if (rule.QueueNamePattern is { } pattern)
            {
                try
                {
                    if (new Regex(pattern).GetGroupNumbers().Length < 2)
                    {
                        failures.Add($"{key}:SupportTypeRules:{i}:QueueNamePattern needs a capture group");
                    }
                }
                catch (ArgumentException)
                {
                    failures.Add($"{key}:SupportTypeRules:{i}:QueueNamePattern is not a valid regular expression");
                }
            }
            else if (string.IsNullOrWhiteSpace(rule.Attribute))
            {
                failures.Add($"{key}:SupportTypeRules:{i}:Attribute must not be empty");
            }
        }

        if (string.IsNullOrWhiteSpace(options.TeamAttribute))
        {
            failures.Add($"{key}:TeamAttribute is required");
        }

        if (!options.ServiceLevelSeconds.ContainsKey("default"))
        {
            failures.Add($"{key}:ServiceLevelSeconds:default is required");
        }

        foreach (var (name, seconds) in options.ServiceLevelSeconds)
        {
            if (!(seconds >= 0))
            {
                failures.Add($"{key}:ServiceLevelSeconds:{name} must be zero or more");
            }
        }

        if (!(options.ShortAbandonSeconds >= 0))
        {
            failures.Add($"{key}:ShortAbandonSeconds must be zero or more");
        }

        failures.AddRange(FigureThresholds.Validate($"{key}:Thresholds", options.Thresholds));
        return failures;
    }

    /// <summary>The interned index of a support type, or -1.</summary>
    public int SupportTypeIndex(string supportType) => _supportTypeIndex.GetValueOrDefault(supportType, -1);

    /// <summary>Service-level threshold of a support type (its own, else <c>default</c>).</summary>
    public long ServiceLevelMs(int supportTypeIndex) => _serviceLevelMs[supportTypeIndex];

    public bool IsOffline(string activityName) => _offlineActivities.Contains(activityName);

    /// <summary>An activity in which TaskRouter may offer the worker a task (<see cref="PlatformOptions.AvailableActivities"/>).</summary>
    public bool IsAvailableActivity(string? activityName) => activityName is not null && _availableActivities.Contains(activityName);

    /// <summary>Design §4: the first rule yielding a configured type wins; otherwise unclassified.</summary>
    public int ClassifySupportType(TaskRouterAttributes attributes, string? queueName)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var rule in _rules)
        {
            string? candidate = null;
            if (rule.AttributePath is { } path)
            {
                candidate = ReadString(attributes, path);
            }
            else if (queueName is not null)
            {
                var match = rule.QueueNamePattern!.Match(queueName);
                if (match.Success && match.Groups.Count > 1 && match.Groups[1].Success)
                {
                    candidate = match.Groups[1].Value.ToLowerInvariant();
                }
            }

            if (candidate is not null && _supportTypeIndex.TryGetValue(candidate, out var index) && index != UnclassifiedIndex)
            {
                return index;
            }
        }

        return UnclassifiedIndex;
    }

    /// <summary>Where a task names its customer when <see cref="PlatformOptions.CustomerNameAttributes"/> is not set.</summary>
    public static readonly IReadOnlyList<string> DefaultCustomerNameAttributes = ["name", "customers.name", "from"];

    /// <summary>The crisis supporter's name from a task's attributes: the first configured path holding text, else null.</summary>
    public string? CustomerNameOf(TaskRouterAttributes taskAttributes)
    {
        ArgumentNullException.ThrowIfNull(taskAttributes);
        foreach (var path in _customerNamePaths)
        {
            if (ReadString(taskAttributes, path) is { Length: > 0 } name && !string.IsNullOrWhiteSpace(name))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The worker's team from its attributes, else <c>unassigned</c>.</summary>
    public string TeamOf(TaskRouterAttributes? workerAttributes)
    {
        var team = workerAttributes is null ? null : ReadString(workerAttributes, _teamPath);
        return string.IsNullOrWhiteSpace(team) ? Platforms.SupportTypes.UnassignedTeam : team;
    }

    /// <summary>The platform-local calendar day of an instant.</summary>
    public DateOnly LocalDate(long utcMs) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddMilliseconds(utcMs), TimeZone));

    /// <summary>The UTC instant (Unix ms) at which a platform-local day starts.</summary>
    public long LocalDayStartMs(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Some zones skip local midnight on a DST change; the day then starts at the first valid minute.
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = TimeZone.IsAmbiguousTime(local)
            ? TimeZone.GetAmbiguousTimeOffsets(local).Max()
            : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }

    private static long SecondsToMs(double seconds) => (long)Math.Round(seconds * 1000.0, MidpointRounding.AwayFromZero);

    /// <summary>A dotted-path read with the path split once at start (the same rules as <see cref="TaskRouterAttributes.GetString"/>).</summary>
    private static string? ReadString(TaskRouterAttributes attributes, string[] path)
    {
        var element = attributes.Root;
        foreach (var segment in path)
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => element.GetString(),
            System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }

    private sealed record CompiledRule(string[]? AttributePath, Regex? QueueNamePattern);
}
