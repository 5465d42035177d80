using System.Collections.Immutable;

namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>What reading a transcript from Twilio came to.</summary>
public enum TranscriptStatus
{
    /// <summary>Every page was read: <see cref="TranscriptRead.Messages"/> holds the messages in order.</summary>
    Found,

    /// <summary>Twilio answered 404: the conversation was deleted or has expired (or never was on this account).</summary>
    NotFound,

    /// <summary>
    /// Twilio could not give the whole transcript now (429, 5xx, a timeout, a network failure, refused
    /// credentials, an answer that is not a page of messages, too many pages): <see cref="TranscriptRead.Reason"/>
    /// says which. Worth asking again later; never remembered.
    /// </summary>
    Unavailable,
}

/// <summary>
/// One read of a conversation's transcript. <see cref="Messages"/> is empty unless <see cref="Status"/> is
/// <see cref="TranscriptStatus.Found"/>: a transcript is shown whole or not at all.
/// </summary>
/// <param name="Status">Found, not found or unavailable.</param>
/// <param name="ConversationSid">The conversation asked for, <c>CH…</c>.</param>
/// <param name="Messages">The messages in Twilio's order (ascending index) when found; otherwise empty.</param>
/// <param name="Reason">Why it is not found or unavailable, naming the platform (and the HTTP status when there
/// was one); never a credential. Null when found.</param>
/// <param name="RetryAfter">Twilio's <c>Retry-After</c>, when it sent one with an unavailable answer.</param>
public sealed record TranscriptRead(
    TranscriptStatus Status,
    string ConversationSid,
    ImmutableArray<TranscriptMessage> Messages,
    string? Reason,
    TimeSpan? RetryAfter)
{
    public static TranscriptRead Found(string conversationSid, ImmutableArray<TranscriptMessage> messages) =>
        new(TranscriptStatus.Found, conversationSid, messages, null, null);

    public static TranscriptRead NotFound(string conversationSid, string reason) =>
        new(TranscriptStatus.NotFound, conversationSid, [], reason, null);

    public static TranscriptRead Unavailable(string conversationSid, string reason, TimeSpan? retryAfter = null) =>
        new(TranscriptStatus.Unavailable, conversationSid, [], reason, retryAfter);
}

/// <summary>
/// One message of a conversation as Twilio holds it (twilio README §9). Media are described, never fetched.
/// </summary>
/// <param name="Sid">The message Sid, <c>IM…</c>.</param>
/// <param name="Index">Its place in the conversation; indices grow but may skip numbers (deleted messages).</param>
/// <param name="Author">Twilio's <c>author</c>: a participant's identity (or address), <c>system</c> when none was given.</param>
/// <param name="ParticipantSid">The author's participant, <c>MB…</c>; null for a system message.</param>
/// <param name="Created">Twilio's <c>date_created</c>, in UTC.</param>
/// <param name="Body">The text (up to 1600 characters); null or empty for a media-only message.</param>
/// <param name="Media">Its attachments' descriptions; empty when it has none.</param>
/// <param name="Attributes">Twilio's <c>attributes</c>, the raw JSON string, not interpreted.</param>
public sealed record TranscriptMessage(
    string Sid,
    int Index,
    string Author,
    string? ParticipantSid,
    DateTimeOffset Created,
    string? Body,
    ImmutableArray<TranscriptMedia> Media,
    string Attributes);

/// <summary>One attachment of a message, as Twilio describes it; its content stays at Twilio.</summary>
/// <param name="Sid">The media Sid, <c>ME…</c>.</param>
/// <param name="ContentType">Its MIME type, e.g. <c>image/jpeg</c>.</param>
/// <param name="Filename">The name it was sent with, when it had one.</param>
/// <param name="Size">In bytes.</param>
public sealed record TranscriptMedia(string Sid, string ContentType, string? Filename, long Size);
