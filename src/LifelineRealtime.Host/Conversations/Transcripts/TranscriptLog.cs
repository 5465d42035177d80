namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>Transcript reads' logs (event ids 8301–8309). None carries a credential or a message's content.</summary>
internal static partial class TranscriptLog
{
    [LoggerMessage(EventId = 8301, Level = LogLevel.Debug, Message = "Transcript of conversation {ConversationSid} read from platform {PlatformId}'s account: {MessageCount} message(s) in {PageCount} page(s)")]
    public static partial void Read(this ILogger logger, string platformId, string conversationSid, int messageCount, int pageCount);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Information, Message = "Transcript of conversation {ConversationSid} not found on platform {PlatformId}'s account (Twilio 404: deleted or expired)")]
    public static partial void NotFound(this ILogger logger, string platformId, string conversationSid);

    [LoggerMessage(EventId = 8303, Level = LogLevel.Warning, Message = "Transcript of conversation {ConversationSid} unavailable: {Reason}")]
    public static partial void Unavailable(this ILogger logger, string conversationSid, string reason);

    [LoggerMessage(EventId = 8304, Level = LogLevel.Warning, Message = "Transcript of conversation {ConversationSid} on platform {PlatformId}: Twilio's next page is at {Host}, not the configured Conversations host {Expected}; not followed")]
    public static partial void ForeignNextPage(this ILogger logger, string platformId, string conversationSid, string host, string expected);

    [LoggerMessage(EventId = 8305, Level = LogLevel.Warning, Message = "Transcript of conversation {ConversationSid} on platform {PlatformId} has more than {MaxPages} pages of messages (Lifeline:Transcripts:MaxPages); not read")]
    public static partial void TooManyPages(this ILogger logger, string platformId, string conversationSid, int maxPages);

    [LoggerMessage(EventId = 8306, Level = LogLevel.Debug, Message = "Transcript of conversation {ConversationSid} on platform {PlatformId} served from the cache ({Status})")]
    public static partial void CacheHit(this ILogger logger, string platformId, string conversationSid, TranscriptStatus status);
}
