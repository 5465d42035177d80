using Microsoft.Extensions.Options;

namespace LifelineRealtime.Simulator.Hosting;

/// <summary>Checks every setting at start and names each bad key.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private const string S = SimulatorOptions.SectionName;
    private const string P = SimulatorOptions.PlatformsSectionName;
    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
        {
            failures.Add($"{S}:Speed must be a positive number (got {options.Speed}).");
        }

        if (options.Duration <= TimeSpan.Zero)
        {
            failures.Add($"{S}:Duration must be positive (got {options.Duration}).");
        }

        if (options.Workers < 1)
        {
            failures.Add($"{S}:Workers must be at least 1 (got {options.Workers}).");
        }

        if (options.Teams < 1)
        {
            failures.Add($"{S}:Teams must be at least 1 (got {options.Teams}).");
        }

        if (!(options.PeakArrivalsPerHour >= 0) || options.PeakArrivalsPerHour > 3600)
        {
            failures.Add($"{S}:PeakArrivalsPerHour must be between 0 and 3600 (got {options.PeakArrivalsPerHour}).");
        }

        if (options.ReservationTimeoutSeconds < 5)
        {
            failures.Add($"{S}:ReservationTimeoutSeconds must be at least 5 (got {options.ReservationTimeoutSeconds}).");
        }

        if (options.ChatCapacity < 1)
        {
            failures.Add($"{S}:ChatCapacity must be at least 1 (got {options.ChatCapacity}).");
        }

        if (options.MaxEvents < 0)
        {
            failures.Add($"{S}:MaxEvents must not be negative (got {options.MaxEvents}).");
        }

        foreach (var (key, value) in new[]
        {
            ("RejectProbability", options.RejectProbability),
            ("TimeoutProbability", options.TimeoutProbability),
            ("TransferProbability", options.TransferProbability),
            ("NoWrapUpProbability", options.NoWrapUpProbability),
            ("StuckProbability", options.StuckProbability),
            ("ShortAbandonProbability", options.ShortAbandonProbability),
        })
        {
            if (!(value >= 0 && value <= 1))
            {
                failures.Add($"{S}:{key} must be between 0 and 1 (got {value}).");
            }
        }

        if (options.RejectProbability + options.TimeoutProbability > 1)
        {
            failures.Add($"{S}:RejectProbability + {S}:TimeoutProbability must not exceed 1.");
        }

        foreach (var (key, value) in options.SupportTypeWeights)
        {
            if (!(value >= 0))
            {
                failures.Add($"{S}:SupportTypeWeights:{key} must not be negative (got {value}).");
            }
        }

        if (options.BaseUrl is { Length: > 0 } baseUrl && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            failures.Add($"{S}:BaseUrl is not an absolute URL.");
        }

        if (options.Enabled)
        {
            if (options.ReplayFile is { Length: > 0 } file && !File.Exists(file))
            {
                failures.Add($"{S}:ReplayFile '{file}' does not exist.");
            }

            if (options.Platforms.Count == 0)
            {
                failures.Add($"{P} is empty: the simulator needs at least one platform.");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < options.Platforms.Count; i++)
            {
                ValidatePlatform(options.Platforms[i], $"{P}:{i}", ids, failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePlatform(SimulatorPlatformOptions platform, string key, HashSet<string> ids, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(platform.Id))
        {
            failures.Add($"{key}:Id is required.");
        }
        else if (!ids.Add(platform.Id))
        {
            failures.Add($"{key}:Id '{platform.Id}' is used twice.");
        }

        if (platform.Channel is not ("voice" or "chat"))
        {
            failures.Add($"{key}:Channel must be 'voice' or 'chat' (got '{platform.Channel}').");
        }

        if (!IsSid(platform.AccountSid, "AC"))
        {
            failures.Add($"{key}:AccountSid must be 'AC' followed by 32 hex digits.");
        }

        if (!IsSid(platform.WorkspaceSid, "WS"))
        {
            failures.Add($"{key}:WorkspaceSid must be 'WS' followed by 32 hex digits.");
        }

        if (string.IsNullOrEmpty(platform.AuthToken))
        {
            failures.Add($"{key}:AuthToken is required (the simulator signs its posts with it).");
        }

        if (platform.SupportTypes.Count == 0)
        {
            failures.Add($"{key}:SupportTypes is empty.");
        }
    }

    private static bool IsSid(string value, string prefix) =>
        value.Length == 34 && value.StartsWith(prefix, StringComparison.Ordinal) && !value.AsSpan(2).ContainsAnyExcept(Hex);
}
