namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>Reads a chat conversation's messages (its transcript) from the platform's Twilio account.</summary>
public interface ITranscriptSource
{
    /// <summary>
    /// The messages of <paramref name="conversationSid"/> on <paramref name="platformId"/>'s account, oldest first.
    /// Twilio's failures come back as <see cref="TranscriptStatus.NotFound"/> or
    /// <see cref="TranscriptStatus.Unavailable"/>, never as an exception.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="platformId"/> is not a configured platform, or <paramref name="conversationSid"/> is not a
    /// conversation Sid (<see cref="ConversationSid.IsValid"/>): the caller's mistake, a 400.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<TranscriptRead> ReadAsync(string platformId, string conversationSid, CancellationToken cancellationToken);
}
