using System.Net;
using System.Text.RegularExpressions;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Options;

/// <summary>
/// Checks the whole <c>Lifeline</c> section at start and reports every failure at once, each naming its
/// configuration key (<c>Lifeline:Platforms:0:WorkspaceSid must start with WS</c>), so one restart fixes all.
/// </summary>
public sealed partial class LifelineOptionsValidator : IValidateOptions<LifelineOptions>
{
    private const string Root = LifelineOptions.SectionName;
    private static readonly TimeSpan MinBusyTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromSeconds(4);

    public ValidateOptionsResult Validate(string? name, LifelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Platforms.Count == 0)
        {
            failures.Add($"{Root}:Platforms must list at least one platform");
        }

        var seenIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Platforms.Count; i++)
        {
            ValidatePlatform($"{Root}:Platforms:{i}", options.Platforms[i], failures);
            var id = options.Platforms[i].Id;
            if (id.Length > 0 && !seenIds.TryAdd(id, i))
            {
                failures.Add($"{Root}:Platforms:{i}:Id '{id}' is already used by {Root}:Platforms:{seenIds[id]}");
            }
        }

        ValidateIngest(options.Ingest, failures);
        ValidateStorage(options.Storage, failures);
        ValidateHealth(options.Health, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePlatform(string key, PlatformOptions platform, List<string> failures)
    {
        if (!SlugPattern().IsMatch(platform.Id))
        {
            failures.Add($"{key}:Id must be a lower-case slug (a-z, 0-9 and '-', starting with a letter)");
        }

        ValidateSid($"{key}:AccountSid", platform.AccountSid, "AC", failures);
        ValidateSid($"{key}:WorkspaceSid", platform.WorkspaceSid, "WS", failures);

        if (string.IsNullOrWhiteSpace(platform.AuthToken))
        {
            failures.Add($"{key}:AuthToken is required (it verifies every webhook's signature)");
        }

        var hasKey = !string.IsNullOrEmpty(platform.ApiKeySid);
        if (hasKey)
        {
            ValidateSid($"{key}:ApiKeySid", platform.ApiKeySid!, "SK", failures);
        }

        if (hasKey != !string.IsNullOrEmpty(platform.ApiKeySecret))
        {
            failures.Add($"{key}:ApiKeySid and {key}:ApiKeySecret go together: set both (REST calls with the API key) or neither (REST calls with the auth token)");
        }

        if (string.IsNullOrWhiteSpace(platform.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(platform.TimeZone, out _))
        {
            failures.Add($"{key}:TimeZone '{platform.TimeZone}' is not a known time zone");
        }

        if (platform.SupportTypes.Count == 0)
        {
            failures.Add($"{key}:SupportTypes must list at least one support type");
        }

        var types = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < platform.SupportTypes.Count; i++)
        {
            var type = platform.SupportTypes[i];
            if (!SupportTypePattern().IsMatch(type) || type == SupportTypes.Unclassified)
            {
                failures.Add($"{key}:SupportTypes:{i} '{type}' must be lower-case snake_case and not '{SupportTypes.Unclassified}'");
            }
            else if (!types.Add(type))
            {
                failures.Add($"{key}:SupportTypes:{i} '{type}' is listed twice");
            }
        }

        for (var i = 0; i < platform.SupportTypeRules.Count; i++)
        {
            ValidateRule($"{key}:SupportTypeRules:{i}", platform.SupportTypeRules[i], failures);
        }

        if (string.IsNullOrWhiteSpace(platform.TeamAttribute))
        {
            failures.Add($"{key}:TeamAttribute is required");
        }

        if (!platform.ServiceLevelSeconds.ContainsKey("default"))
        {
            failures.Add($"{key}:ServiceLevelSeconds must have a 'default' entry");
        }

        ValidateThresholds($"{key}:ServiceLevelSeconds", platform.ServiceLevelSeconds, types, failures);
        ValidateThresholds($"{key}:UrgentWaitAlertSeconds", platform.UrgentWaitAlertSeconds, types, failures);
        if (platform.UrgentWaitAlertSeconds.Count == 0)
        {
            // The keys are what makes a support type urgent: without any, no waiting person at risk is flagged.
            failures.Add($"{key}:UrgentWaitAlertSeconds must name at least one urgent support type (the crisis line's are imminent and safety)");
        }

        if (!(platform.ShortAbandonSeconds > 0))
        {
            failures.Add($"{key}:ShortAbandonSeconds must be positive");
        }

        ValidatePositive($"{key}:StuckThresholds:Pending", platform.StuckThresholds.Pending, failures);
        ValidatePositive($"{key}:StuckThresholds:Reserved", platform.StuckThresholds.Reserved, failures);
        ValidatePositive($"{key}:StuckThresholds:Wrapping", platform.StuckThresholds.Wrapping, failures);
        ValidatePositive($"{key}:StuckThresholds:PendingWhileAvailable", platform.StuckThresholds.PendingWhileAvailable, failures);
        ValidatePositive($"{key}:StuckThresholds:AcceptedWithoutWorkerEvent", platform.StuckThresholds.AcceptedWithoutWorkerEvent, failures);
        failures.AddRange(FigureThresholds.Validate($"{key}:Thresholds", platform.Thresholds));
    }

    private static void ValidateSid(string key, string value, string prefix, List<string> failures)
    {
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
        {
            failures.Add($"{key} must start with {prefix}");
        }
        else if (value.Length != 34 || !IsHex(value.AsSpan(2)))
        {
            failures.Add($"{key} must be {prefix} followed by 32 hex digits");
        }
    }

    private static void ValidateRule(string key, SupportTypeRuleOptions rule, List<string> failures)
    {
        var hasAttribute = !string.IsNullOrWhiteSpace(rule.Attribute);
        var hasPattern = !string.IsNullOrWhiteSpace(rule.QueueNamePattern);
        if (hasAttribute == hasPattern)
        {
            failures.Add($"{key} must set exactly one of Attribute or QueueNamePattern");
            return;
        }

        if (!hasPattern)
        {
            return;
        }

        try
        {
            var regex = new Regex(rule.QueueNamePattern!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (regex.GetGroupNumbers().Length < 2)
            {
                failures.Add($"{key}:QueueNamePattern must have a capture group (its first group is the support type)");
            }
        }
        catch (ArgumentException e)
        {
            failures.Add($"{key}:QueueNamePattern does not compile: {e.Message}");
        }
    }

    private static void ValidateThresholds(string key, Dictionary<string, double> thresholds, HashSet<string> supportTypes, List<string> failures)
    {
        foreach (var (type, seconds) in thresholds)
        {
            if (type != "default" && supportTypes.Count > 0 && !supportTypes.Contains(type))
            {
                failures.Add($"{key}:{type} is not one of the platform's SupportTypes");
            }

            if (!(seconds > 0))
            {
                failures.Add($"{key}:{type} must be positive");
            }
        }
    }

    private static void ValidatePositive(string key, TimeSpan value, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be positive");
        }
    }

    private static void ValidateIngest(IngestOptions ingest, List<string> failures)
    {
        if (ingest.MaxBodyBytes <= 0 || ingest.MaxBodyBytes > int.MaxValue)
        {
            failures.Add($"{Root}:Ingest:MaxBodyBytes must be between 1 and {int.MaxValue}");
        }

        if (ingest.EarliestEventTime < EventTimeWindow.DefaultNotBefore || ingest.EarliestEventTime.Year >= 2100)
        {
            failures.Add($"{Root}:Ingest:EarliestEventTime must be between 2010-01-01 and 2099-12-31 (TaskRouter did not exist before 2010)");
        }

        if (ingest.MaxEventTimeAhead < TimeSpan.Zero || ingest.MaxEventTimeAhead > TimeSpan.FromDays(1))
        {
            failures.Add($"{Root}:Ingest:MaxEventTimeAhead must be between 00:00:00 and 1.00:00:00");
        }

        if (!string.IsNullOrEmpty(ingest.PublicBaseUrl)
            && (!Uri.TryCreate(ingest.PublicBaseUrl, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            failures.Add($"{Root}:Ingest:PublicBaseUrl must be an absolute http(s) URL without query or fragment");
        }

        for (var i = 0; i < ingest.TrustedProxies.Count; i++)
        {
            var proxy = ingest.TrustedProxies[i];
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                failures.Add($"{Root}:Ingest:TrustedProxies:{i} '{proxy}' is not an IP address or CIDR network");
            }
        }
    }

    private static void ValidateStorage(StorageOptions storage, List<string> failures)
    {
        if (!string.Equals(storage.Provider, StorageOptions.SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Root}:Storage:Provider '{storage.Provider}' is not supported (use {StorageOptions.SqliteProvider})");
        }

        if (string.IsNullOrWhiteSpace(storage.Path))
        {
            failures.Add($"{Root}:Storage:Path is required");
        }

        if (!Enum.TryParse<LifelineRealtime.Storage.Journal.JournalDurability>(storage.Durability, ignoreCase: true, out _)
            || int.TryParse(storage.Durability, out _))
        {
            failures.Add($"{Root}:Storage:Durability '{storage.Durability}' must be Full or Normal");
        }

        // Microsoft.Data.Sqlite counts lock waits in whole seconds; Event Streams waits 5 s for an answer.
        if (storage.BusyTimeout < MinBusyTimeout || storage.BusyTimeout > MaxBusyTimeout || storage.BusyTimeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"{Root}:Storage:BusyTimeout '{storage.BusyTimeout}' must be whole seconds from {MinBusyTimeout} to {MaxBusyTimeout}");
        }
    }

    private static void ValidateHealth(HealthOptions health, List<string> failures)
    {
        if (health.MaxDispatchLag < 1)
        {
            failures.Add($"{Root}:Health:MaxDispatchLag must be at least 1");
        }
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^[a-z][a-z0-9-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SupportTypePattern();
}
