using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.TaskRouterRest;

/// <summary><c>Lifeline:TaskRouterRest</c>: how the engine calls TaskRouter's REST API (backfill, statistics, task fixes).</summary>
public sealed class TaskRouterRestOptions
{
    public const string SectionName = "Lifeline:TaskRouterRest";

    /// <summary>The host TaskRouter's REST API answers on (twilio README §6; US1, as TaskRouter is not offered in AU1).</summary>
    public const string TwilioHost = "taskrouter.twilio.com";

    /// <summary>Where requests for <see cref="TwilioHost"/> are sent. Only tests point it elsewhere (a recording on loopback).</summary>
    public string BaseUrl { get; set; } = "https://" + TwilioHost;

    /// <summary>How long one request may take, retries not included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times one request is sent at most: a 429 (after its <c>Retry-After</c>) and, for reads, a 5xx or a lost connection are tried again.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest <c>Retry-After</c> waited for; a longer one ends the call as rate-limited instead of holding it.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events asked for per page (Twilio's largest is 1,000).</summary>
    public int EventsPageSize { get; set; } = 1000;

    /// <summary>The most pages one read follows; a longer read fails rather than running on.</summary>
    public int MaxPages { get; set; } = 10_000;

    /// <summary>Every failure, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string S = SectionName;
        var failures = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            failures.Add($"{S}:BaseUrl must be an absolute https URL with no path, query or user (http only on loopback), got '{BaseUrl}'.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:Timeout must be more than 00:00:00 and at most 00:05:00 (got {Timeout}).");
        }

        if (MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{S}:MaxAttempts must be between 1 and 10 (got {MaxAttempts}).");
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{S}:MaxRetryAfter must be between 00:00:00 and 00:10:00 (got {MaxRetryAfter}).");
        }

        if (EventsPageSize is < 1 or > 1000)
        {
            failures.Add($"{S}:EventsPageSize must be between 1 and 1000 (got {EventsPageSize}).");
        }

        if (MaxPages is < 1 or > 1_000_000)
        {
            failures.Add($"{S}:MaxPages must be between 1 and 1000000 (got {MaxPages}).");
        }

        return failures;
    }
}

internal sealed class TaskRouterRestOptionsValidator : IValidateOptions<TaskRouterRestOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskRouterRestOptions options)
    {
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
