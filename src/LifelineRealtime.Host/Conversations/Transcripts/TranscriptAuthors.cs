namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>Who wrote a message, as a transcript shows it.</summary>
public enum TranscriptAuthor
{
    /// <summary>Twilio or Flex itself (joins, leaves, transfers): author <c>system</c> or no participant.</summary>
    System,

    /// <summary>An in-shift supervisor: one of the platform's Flex workers.</summary>
    Iss,

    /// <summary>The crisis supporter, Flex's "customer": any other participant.</summary>
    Cs,
}

/// <summary>Tells a transcript's system messages, ISS messages and CS messages apart. Pure.</summary>
public static class TranscriptAuthors
{
    /// <summary>Twilio's <c>author</c> when a message was sent without one.</summary>
    public const string SystemAuthor = "system";

    private const string ClientPrefix = "client:";

    /// <summary>
    /// <see cref="TranscriptAuthor.System"/> when the author is <c>system</c> or the message has no participant;
    /// <see cref="TranscriptAuthor.Iss"/> when the author is one of <paramref name="workerIdentities"/> (compared
    /// with the set's own comparer); otherwise <see cref="TranscriptAuthor.Cs"/>.
    /// </summary>
    /// <param name="message">A message of the platform's transcript.</param>
    /// <param name="workerIdentities">
    /// The platform's Flex worker identities as a Flex agent's messages carry them in <c>author</c>: the part of
    /// the worker's <c>contact_uri</c> after <c>client:</c>, left escaped (<see cref="WorkerIdentity"/>), or the
    /// worker's friendly name. Taken as given.
    /// </param>
    public static TranscriptAuthor Classify(TranscriptMessage message, IReadOnlySet<string> workerIdentities)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(workerIdentities);
        if (message.ParticipantSid is null || string.Equals(message.Author, SystemAuthor, StringComparison.Ordinal))
        {
            return TranscriptAuthor.System;
        }

        return workerIdentities.Contains(message.Author) ? TranscriptAuthor.Iss : TranscriptAuthor.Cs;
    }

    /// <summary>
    /// A worker's identity from its <c>contact_uri</c> attribute (<c>client:&lt;identity&gt;</c>, twilio README §5):
    /// the identity as Flex escaped it, or null when the attribute is not of that form.
    /// </summary>
    public static string? WorkerIdentity(string? contactUri) =>
        contactUri is not null && contactUri.StartsWith(ClientPrefix, StringComparison.Ordinal) && contactUri.Length > ClientPrefix.Length
            ? contactUri[ClientPrefix.Length..]
            : null;
}
