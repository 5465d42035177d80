using LifelineRealtime.Host.Conversations.Transcripts;
using static LifelineRealtime.Host.Tests.Conversations.Transcripts.RecordedTranscript;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

public sealed class TranscriptAuthorsTests
{
    private static readonly HashSet<string> Workers = new([Blake, Rowan, "Sam Placeholder"], StringComparer.Ordinal);

    private static TranscriptMessage Message(string author, string? participant) =>
        new("IM" + new string('0', 32), 1, author, participant, new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), "hello", [], "{}");

    [Fact]
    public void Classify_AuthorSystem_System()
    {
        Assert.Equal(TranscriptAuthor.System, TranscriptAuthors.Classify(Message("system", "MB" + new string('1', 32)), Workers));
    }

    [Fact]
    public void Classify_NoParticipant_SystemWhateverTheAuthor()
    {
        Assert.Equal(TranscriptAuthor.System, TranscriptAuthors.Classify(Message(Blake, null), Workers));
    }

    [Fact]
    public void Classify_AuthorIsAWorkerIdentity_Iss()
    {
        Assert.Equal(TranscriptAuthor.Iss, TranscriptAuthors.Classify(Message(Blake, "MB" + new string('2', 32)), Workers));
    }

    [Fact]
    public void Classify_AuthorIsAWorkerFriendlyName_Iss()
    {
        Assert.Equal(TranscriptAuthor.Iss, TranscriptAuthors.Classify(Message("Sam Placeholder", "MB" + new string('2', 32)), Workers));
    }

    [Fact]
    public void Classify_AnyOtherAuthor_Cs()
    {
        Assert.Equal(TranscriptAuthor.Cs, TranscriptAuthors.Classify(Message(CsAuthor, "MB" + new string('3', 32)), Workers));
    }

    [Fact]
    public void Classify_NoWorkersKnown_EveryParticipantIsCs()
    {
        Assert.Equal(TranscriptAuthor.Cs, TranscriptAuthors.Classify(Message(Blake, "MB" + new string('2', 32)), new HashSet<string>()));
    }

    [Fact]
    public void Classify_ComparesWithTheSetsComparer()
    {
        var ordinal = TranscriptAuthors.Classify(Message(Blake.ToUpperInvariant(), "MB" + new string('2', 32)), Workers);
        var ignoringCase = TranscriptAuthors.Classify(
            Message(Blake.ToUpperInvariant(), "MB" + new string('2', 32)), new HashSet<string>([Blake], StringComparer.OrdinalIgnoreCase));

        Assert.Equal(TranscriptAuthor.Cs, ordinal);
        Assert.Equal(TranscriptAuthor.Iss, ignoringCase);
    }

    [Fact]
    public void Classify_TheRecordedChat_SystemCsAndBothIss()
    {
        Assert.Equal(
            [TranscriptAuthor.System, TranscriptAuthor.Cs, TranscriptAuthor.Iss, TranscriptAuthor.Cs, TranscriptAuthor.Cs, TranscriptAuthor.Iss,
             TranscriptAuthor.System, TranscriptAuthor.Iss, TranscriptAuthor.Cs],
            ChatMessages.Select(m => TranscriptAuthors.Classify(m, Workers)));
    }

    [Theory]
    [InlineData("client:blake_2Eexample_40example_2Eorg", "blake_2Eexample_40example_2Eorg")]
    [InlineData("client:sam", "sam")]
    [InlineData("client:", null)]
    [InlineData("sip:blake@example.org", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void WorkerIdentity_ContactUri_IdentityLeftEscaped(string? contactUri, string? identity)
    {
        Assert.Equal(identity, TranscriptAuthors.WorkerIdentity(contactUri));
    }
}
