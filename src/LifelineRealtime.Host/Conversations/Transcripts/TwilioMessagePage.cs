using System.Text.Json.Serialization;

namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>
/// One page of Twilio's Conversation Messages list (twilio README §9): <c>{ "messages": […], "meta": {…} }</c>.
/// Only the fields a transcript shows are read; the rest (<c>delivery</c>, <c>links</c>, <c>url</c>, …) are ignored.
/// </summary>
internal sealed record TwilioMessagePage(
    [property: JsonPropertyName("messages")] IReadOnlyList<TwilioMessage?>? Messages,
    [property: JsonPropertyName("meta")] TwilioPageMeta? Meta);

internal sealed record TwilioPageMeta(
    [property: JsonPropertyName("page")] int? Page,
    [property: JsonPropertyName("next_page_url")] string? NextPageUrl);

internal sealed record TwilioMessage(
    [property: JsonPropertyName("sid")] string? Sid,
    [property: JsonPropertyName("index")] int? Index,
    [property: JsonPropertyName("author")] string? Author,
    [property: JsonPropertyName("participant_sid")] string? ParticipantSid,
    [property: JsonPropertyName("date_created")] DateTimeOffset? DateCreated,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("media")] IReadOnlyList<TwilioMedia?>? Media,
    [property: JsonPropertyName("attributes")] string? Attributes);

internal sealed record TwilioMedia(
    [property: JsonPropertyName("sid")] string? Sid,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("filename")] string? Filename,
    [property: JsonPropertyName("size")] long? Size);
