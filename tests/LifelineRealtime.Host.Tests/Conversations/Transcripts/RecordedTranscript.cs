using System.Collections.Immutable;
using System.Globalization;
using LifelineRealtime.Host.Conversations.Transcripts;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

/// <summary>The conversations under <c>tests/fixtures/twilio-conversations/</c> and what reading them must give.</summary>
internal static class RecordedTranscript
{
    /// <summary>Three pages on digi's account: a system message, a CS, two ISS, media, index gaps (3, 6, 10, 11).</summary>
    public const string Chat = "CHa5e0c6b2d8f94e1ba3c7d9e0f1a2b3c4";

    /// <summary>One empty page.</summary>
    public const string Empty = "CHe0e1e2e3e4e5e6e7e8e9eaebecedeeef";

    /// <summary>One page whose <c>next_page_url</c> is on another host.</summary>
    public const string ForeignNext = "CHf00df00df00df00df00df00df00df00d";

    /// <summary>Deleted: the recorded 404 names it.</summary>
    public const string Deleted = "CHdeadbeefdeadbeefdeadbeefdeadbeef";

    public static readonly string[] ChatPages = ["messages-page-0.json", "messages-page-1.json", "messages-page-2.json"];

    public const string CsAuthor = "cs-visitor-4821";
    public const string Blake = "blake_2Eexample_40example_2Eorg";
    public const string Rowan = "rowan_2Etest_40example_2Eorg";

    private const string CsParticipant = "MB1c9e2f7a4b3d4c5e8f6a7b8c9d0e1f2a";
    private const string BlakeParticipant = "MB7d3a9c1e5f2b4a6c8e0d1f2a3b4c5d6e";
    private const string RowanParticipant = "MB2e4f6a8c0b1d3e5f7a9c1e3f5a7b9c1d";

    /// <summary>The recorded chat's messages, exactly, in order.</summary>
    public static readonly ImmutableArray<TranscriptMessage> ChatMessages =
    [
        new("IM0a1b2c3d4e5f60718293a4b5c6d7e8f9", 0, "system", null, At("09:21:05"), "Chat started from the DIGI Central web chat.", [], "{}"),
        new("IM1b2c3d4e5f60718293a4b5c6d7e8f90a", 1, CsAuthor, CsParticipant, At("09:21:19"), "Hi, I need to talk to someone about a hard shift.", [], """{"source":"webchat"}"""),
        new("IM2c3d4e5f60718293a4b5c6d7e8f90a1b", 2, Blake, BlakeParticipant, At("09:22:02"), "Hi, I'm Blake, one of the in-shift supervisors. I'm here. What happened?", [], "{}"),
        new("IM4e5f60718293a4b5c6d7e8f90a1b2c3d", 4, CsAuthor, CsParticipant, At("09:23:40"), "It was a difficult call. I wrote some notes after.",
            [new("ME4e5f60718293a4b5c6d7e8f90a1b2c3d", "application/pdf", "shift-notes.pdf", 48213)], "{}"),
        new("IM5f60718293a4b5c6d7e8f90a1b2c3d4e", 5, CsAuthor, CsParticipant, At("09:23:52"), null,
            [new("ME5f60718293a4b5c6d7e8f90a1b2c3d4e", "image/jpeg", null, 183422), new("ME60718293a4b5c6d7e8f90a1b2c3d4e5f", "image/png", "IMG_2041.png", 92760)], "{}"),
        new("IM718293a4b5c6d7e8f90a1b2c3d4e5f60", 7, Blake, BlakeParticipant, At("09:24:31"), "Thank you for sharing that. Take your time.", [],
            """{"flexInteractionSid":"KD0123456789abcdef0123456789abcdef"}"""),
        new("IM8293a4b5c6d7e8f90a1b2c3d4e5f6071", 8, "system", null, At("09:31:00"), "Blake transferred the chat to Debrief.", [], "{}"),
        new("IM93a4b5c6d7e8f90a1b2c3d4e5f607182", 9, Rowan, RowanParticipant, At("09:31:48"), "Hi, I'm Rowan from Debrief. Blake filled me in.", [], "{}"),
        new("IMa4b5c6d7e8f90a1b2c3d4e5f60718293", 12, CsAuthor, CsParticipant, At("09:40:15"), "", [], "{}"),
    ];

    /// <summary>A message as one comparable line: records holding arrays compare the arrays by reference.</summary>
    public static string Describe(TranscriptMessage m) =>
        string.Join(" | ", m.Sid, m.Index.ToString(CultureInfo.InvariantCulture), m.Author, m.ParticipantSid ?? "(none)",
            m.Created.ToString("o", CultureInfo.InvariantCulture), m.Body is null ? "(null)" : $"'{m.Body}'",
            "[" + string.Join(", ", m.Media.Select(x => $"{x.Sid} {x.ContentType} {x.Filename ?? "(no name)"} {x.Size}")) + "]", m.Attributes);

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse($"2026-11-24T{time}Z", CultureInfo.InvariantCulture);
}
