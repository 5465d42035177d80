using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary><c>Lifeline:Transcripts</c>: where chat transcripts are read from and how long a read is remembered.</summary>
public sealed class TranscriptOptions
{
    public const string SectionName = "Lifeline:Transcripts";

    /// <summary>Twilio's Conversations API. Tests point it at a recording.</summary>
    public string ConversationsBaseUrl { get; set; } = "https://conversations.twilio.com";

    /// <summary>How long one request (one page of messages) may take before the transcript is unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a transcript read (or a not-found answer) is reused without asking Twilio again; 0: never.</summary>
    public int CacheSeconds { get; set; } = 30;

    /// <summary>The most pages (of 100 messages) read for one transcript; a longer one is unavailable, not cut short.</summary>
    public int MaxPages { get; set; } = 50;

    /// <summary>Every failure, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string S = SectionName;
        var failures = new List<string>();
        if (!Uri.TryCreate(ConversationsBaseUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            failures.Add($"{S}:ConversationsBaseUrl must be an absolute https URL with no path, query or user (http only on loopback), got '{ConversationsBaseUrl}'.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{S}:Timeout must be more than 00:00:00 and at most 00:01:00 (got {Timeout}).");
        }

        if (CacheSeconds is < 0 or > 3600)
        {
            failures.Add($"{S}:CacheSeconds must be between 0 and 3600 (got {CacheSeconds}).");
        }

        if (MaxPages is < 1 or > 1000)
        {
            failures.Add($"{S}:MaxPages must be between 1 and 1000 (got {MaxPages}).");
        }

        return failures;
    }
}

internal sealed class TranscriptOptionsValidator : IValidateOptions<TranscriptOptions>
{
    public ValidateOptionsResult Validate(string? name, TranscriptOptions options)
    {
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
