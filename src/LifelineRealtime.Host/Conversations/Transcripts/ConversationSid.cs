using System.Text.RegularExpressions;

namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>The form of a Twilio Conversation Sid: <c>CH</c> and 32 hex digits (twilio README §9, §10).</summary>
public static partial class ConversationSid
{
    /// <summary>Whether <paramref name="value"/> has the form of a conversation Sid; checked before any call to Twilio.</summary>
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"\ACH[0-9a-fA-F]{32}\z")]
    private static partial Regex Pattern();
}
