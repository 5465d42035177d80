namespace LifelineRealtime.Host.Conversations.Transcripts;

public static class TranscriptDefaults
{
    /// <summary>The named <see cref="HttpClient"/> that calls Twilio's Conversations API.</summary>
    public const string HttpClientName = "lifeline.transcripts";
}
