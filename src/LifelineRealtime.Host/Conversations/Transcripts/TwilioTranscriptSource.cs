using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Conversations.Transcripts;

/// <summary>
/// Reads a transcript from Twilio's Conversations API (twilio README §9):
/// <c>GET {ConversationsBaseUrl}/v1/Conversations/{CH}/Messages?Order=asc&amp;PageSize=100</c>, then each
/// <c>meta.next_page_url</c> until there is none, with HTTP Basic <c>AccountSid:AuthToken</c> of the platform's
/// account. Plain HTTP through the named client <see cref="TranscriptDefaults.HttpClientName"/>, since the Twilio
/// library has no base-URL setting. A next page is followed only on the configured host and path, so the
/// account's credentials go nowhere else. Found and not-found reads are remembered briefly
/// (<see cref="TranscriptCache"/>); failures are answered as <see cref="TranscriptStatus.Unavailable"/>.
/// </summary>
public sealed class TwilioTranscriptSource(
    IHttpClientFactory httpClients,
    PlatformCatalog platforms,
    TranscriptCache cache,
    IOptions<TranscriptOptions> options,
    TimeProvider time,
    ILogger<TwilioTranscriptSource> logger) : ITranscriptSource
{
    /// <summary>Twilio's largest page of messages.</summary>
    public const int PageSize = 100;

    private const string Api = "Twilio Conversations";

    public async Task<TranscriptRead> ReadAsync(string platformId, string conversationSid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platformId);
        if (!ConversationSid.IsValid(conversationSid))
        {
            throw new ArgumentException($"'{Shorten(conversationSid)}' is not a conversation Sid (CH and 32 hex digits).", nameof(conversationSid));
        }

        if (!platforms.TryGet(platformId, out var platform))
        {
            throw new ArgumentException($"unknown platform '{Shorten(platformId)}'.", nameof(platformId));
        }

        if (cache.TryGet(platformId, conversationSid, out var remembered))
        {
            logger.CacheHit(platformId, conversationSid, remembered.Status);
            return remembered;
        }

        var read = await ReadFromTwilioAsync(platform, conversationSid, cancellationToken);
        cache.Remember(platformId, read, TimeSpan.FromSeconds(options.Value.CacheSeconds));
        return read;
    }

    private async Task<TranscriptRead> ReadFromTwilioAsync(PlatformSettings platform, string conversationSid, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var baseUri = new Uri(settings.ConversationsBaseUrl);
        var first = new Uri(baseUri, $"/v1/Conversations/{conversationSid}/Messages?Order=asc&PageSize={PageSize}");
        var http = httpClients.CreateClient(TranscriptDefaults.HttpClientName);
        var credentials = Basic(platform.Options);
        var messages = ImmutableArray.CreateBuilder<TranscriptMessage>();
        var url = first;
        for (var page = 0; ; page++)
        {
            if (page == settings.MaxPages)
            {
                logger.TooManyPages(platform.Id, conversationSid, settings.MaxPages);
                return TranscriptRead.Unavailable(
                    conversationSid,
                    $"platform {platform.Id}: the transcript has more than {settings.MaxPages} pages of messages (Lifeline:Transcripts:MaxPages), not read");
            }

            var where = page == 0 ? "" : $" (page {page + 1} of the messages)";
            var answer = await GetPageAsync(http, url, credentials, cancellationToken);
            switch (answer)
            {
                case PageAnswer.Failed failed:
                    return Unavailable(conversationSid, $"platform {platform.Id}: {failed.Reason}{where}", failed.RetryAfter);
                case PageAnswer.Missing:
                    logger.NotFound(platform.Id, conversationSid);
                    return TranscriptRead.NotFound(
                        conversationSid, $"conversation {conversationSid} was not found on platform {platform.Id}'s account (Twilio 404): deleted or expired");
                case PageAnswer.Read { Page: var body }:
                    if (!TryAdd(body, messages))
                    {
                        return Unavailable(conversationSid, $"platform {platform.Id}: {Api}' answer was not a page of messages{where}", null);
                    }

                    if (body.Meta!.NextPageUrl is not { Length: > 0 } next)
                    {
                        logger.Read(platform.Id, conversationSid, messages.Count, page + 1);
                        return TranscriptRead.Found(conversationSid, messages.DrainToImmutable());
                    }

                    if (!Uri.TryCreate(next, UriKind.Absolute, out var nextUri) || nextUri.UserInfo.Length > 0)
                    {
                        return Unavailable(conversationSid, $"platform {platform.Id}: {Api}' next page is not an absolute URL, not followed{where}", null);
                    }

                    if (Uri.Compare(nextUri, baseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                    {
                        logger.ForeignNextPage(platform.Id, conversationSid, nextUri.Authority, baseUri.Authority);
                        return TranscriptRead.Unavailable(
                            conversationSid, $"platform {platform.Id}: {Api}' next page is on another host ({nextUri.Authority}), not followed");
                    }

                    if (!string.Equals(nextUri.AbsolutePath, first.AbsolutePath, StringComparison.Ordinal))
                    {
                        return Unavailable(conversationSid, $"platform {platform.Id}: {Api}' next page is not this conversation's messages, not followed{where}", null);
                    }

                    url = nextUri;
                    break;
            }
        }
    }

    private async Task<PageAnswer> GetPageAsync(HttpClient http, Uri url, AuthenticationHeaderValue credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = credentials;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new PageAnswer.Missing();
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return new PageAnswer.Failed($"{Api} refused the account's credentials ({status})", RetryAfter(response));
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = RetryAfter(response);
                var hint = retryAfter is { } wait ? $", retry after {wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : "";
                return new PageAnswer.Failed($"{Api} answered 429 (too many requests){hint}", retryAfter);
            }

            if (!response.IsSuccessStatusCode)
            {
                return new PageAnswer.Failed($"{Api} answered {status}", RetryAfter(response));
            }

            return await ReadJsonAsync(response, cancellationToken) is { } page
                ? new PageAnswer.Read(page)
                : new PageAnswer.Failed($"{Api}' answer ({status}) was not a page of messages", null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PageAnswer.Failed($"{Api} did not answer within {http.Timeout}", null);
        }
        catch (HttpRequestException e)
        {
            return new PageAnswer.Failed($"could not reach {Api} (network error: {e.HttpRequestError})", null);
        }
    }

    private static async Task<TwilioMessagePage?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TwilioMessagePage>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // Not a JSON content type.
            return null;
        }
    }

    /// <summary>Adds the page's messages, or adds nothing and says false when the page is not one of messages.</summary>
    private static bool TryAdd(TwilioMessagePage page, ImmutableArray<TranscriptMessage>.Builder messages)
    {
        if (page.Messages is null || page.Meta is null)
        {
            return false;
        }

        var read = new List<TranscriptMessage>(page.Messages.Count);
        foreach (var message in page.Messages)
        {
            if (message is not { Sid: { Length: > 0 } sid, Index: { } index, DateCreated: { } created })
            {
                return false;
            }

            var media = ImmutableArray.CreateBuilder<TranscriptMedia>(message.Media?.Count ?? 0);
            foreach (var item in message.Media ?? [])
            {
                if (item is not { Sid: { Length: > 0 } mediaSid })
                {
                    return false;
                }

                media.Add(new TranscriptMedia(mediaSid, item.ContentType ?? "", item.Filename, item.Size ?? 0));
            }

            read.Add(new TranscriptMessage(
                sid,
                index,
                string.IsNullOrEmpty(message.Author) ? TranscriptAuthors.SystemAuthor : message.Author,
                string.IsNullOrEmpty(message.ParticipantSid) ? null : message.ParticipantSid,
                created.ToUniversalTime(),
                message.Body,
                media.DrainToImmutable(),
                message.Attributes ?? "{}"));
        }

        messages.AddRange(read);
        return true;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date <= time.GetUtcNow() ? TimeSpan.Zero : date - time.GetUtcNow(),
        _ => null,
    };

    private TranscriptRead Unavailable(string conversationSid, string reason, TimeSpan? retryAfter)
    {
        logger.Unavailable(conversationSid, reason);
        return TranscriptRead.Unavailable(conversationSid, reason, retryAfter);
    }

    private static AuthenticationHeaderValue Basic(PlatformOptions platform) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{platform.AccountSid}:{platform.AuthToken}")));

    /// <summary>A caller's bad value, short enough to quote in a 400.</summary>
    private static string Shorten(string? value) => value is null ? "" : value.Length <= 64 ? value : value[..64] + "…";

    private abstract record PageAnswer
    {
        public sealed record Read(TwilioMessagePage Page) : PageAnswer;

        public sealed record Missing : PageAnswer;

        public sealed record Failed(string Reason, TimeSpan? RetryAfter) : PageAnswer;
    }
}
