using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Ingest;

/// <summary>
/// Receives one TaskRouter webhook: platform, size, text, signature, parse, event times, workspace, journal, in
/// that order, and answers 204 only once the journal has committed every event of the request. Any refusal
/// happens before the journal is touched, so a refused request changes nothing.
/// </summary>
public sealed class WebhookReceiver(
    PlatformCatalog platforms,
    TwilioSignatureVerifier verifier,
    IEventJournal journal,
    IngestInstruments instruments,
    IOptions<LifelineOptions> options,
    EventTimeWindow eventTimes,
    WebhookArrivals arrivals,
    TimeProvider time,
    ILogger<WebhookReceiver> logger)
{
    private readonly int _maxBodyBytes = (int)Math.Min(options.Value.Ingest.MaxBodyBytes, int.MaxValue - 1);

    public async Task<IResult> ReceiveAsync(string platformId, HttpContext context, JournalWireFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        var formatTag = format == JournalWireFormat.Form ? "form" : "eventstreams";
        if (!platforms.TryGet(platformId, out var settings))
        {
            instruments.Rejected(formatTag, RejectReason.UnknownPlatform);
            IngestLog.UnknownPlatform(logger, formatTag);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown platform",
                detail: $"No platform '{Truncate(platformId)}' is configured.");
        }

        var platform = settings.Options;
        var request = context.Request;
        if (request.Headers.ContainsKey(TwilioSignatureVerifier.SignatureSettingsHeader))
        {
            return Forbidden(platform, formatTag, "shared-key (HMAC-SHA256) signatures are not supported");
        }

        var signature = request.Headers[TwilioSignatureVerifier.SignatureHeader].ToString();
        if (signature.Length == 0)
        {
            return Forbidden(platform, formatTag, "no X-Twilio-Signature header");
        }

        var (buffer, length) = await ReadBodyAsync(request, _maxBodyBytes, context.RequestAborted);
        if (buffer is null)
        {
            return TooLarge(platform, formatTag);
        }

        List<JournalEntry> entries;
        try
        {
            // Text that is not UTF-8 has no one reading: the signature, the journal and every page would each
            // see a different string. Twilio only sends UTF-8.
            if (!Utf8.IsValid(buffer.AsSpan(0, length)))
            {
                return InvalidText(platform, formatTag, new TaskRouterFieldError("body", "body is not UTF-8 text"));
            }

            var body = Encoding.UTF8.GetString(buffer, 0, length);
            var url = verifier.PublicUrl(request);
            if (format == JournalWireFormat.Form)
            {
                if (!TaskRouterEventParser.TryDecodeForm(body, out var fields, out var textError))
                {
                    return InvalidText(platform, formatTag, textError);
                }

                if (!verifier.VerifyForm(platform, url, fields, signature))
                {
                    return Forbidden(platform, formatTag, "signature does not match");
                }

                var parsed = TaskRouterEventParser.ParseForm(fields);
                if (!parsed.IsSuccess)
                {
                    return Malformed(platform, formatTag, parsed.Errors);
                }

                entries = [new JournalEntry(platform.Id, parsed.Event!, format, body)];
            }
            else
            {
                if (!verifier.VerifyJson(platform, url, body, signature))
                {
                    return Forbidden(platform, formatTag, "signature or body hash does not match");
                }

                var parsed = TaskRouterEventParser.ParseEventStreams(buffer.AsMemory(0, length));
                if (!parsed.IsSuccess)
                {
                    return Malformed(platform, formatTag, parsed.Errors);
                }

                entries = new List<JournalEntry>(parsed.Items.Length);
                foreach (var item in parsed.Items)
                {
                    entries.Add(new JournalEntry(platform.Id, item.Event, format, item.RawJson));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (OutsideEventTimes(entries, format) is { } timeError)
        {
            instruments.Rejected(formatTag, RejectReason.EventTime);
            return Refused(platform, formatTag, [timeError], "Event time out of range");
        }

        if (WrongWorkspace(platform, entries, format) is { } workspaceError)
        {
            return Malformed(platform, formatTag, [workspaceError]);
        }

        IReadOnlyList<JournalAppendResult> results;
        try
        {
            results = await journal.AppendAsync(entries);
        }
        catch (JournalUnavailableException e)
        {
            // The journal logs its own failure once per change of state; one line per refused webhook would
            // bury it during an outage, so this is a debug line and a count.
            instruments.Rejected(formatTag, RejectReason.JournalUnavailable);
            IngestLog.JournalUnavailable(logger, formatTag, platform.Id, e.Message);
            return JournalUnavailable(context, e.RetryAfter);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            instruments.Rejected(formatTag, RejectReason.JournalUnavailable);
            IngestLog.JournalFailed(logger, formatTag, platform.Id, e);
            return JournalUnavailable(context, TimeSpan.Zero);
        }

        var added = 0;
        var unknown = 0;
        for (var i = 0; i < results.Count; i++)
        {
            if (!results[i].IsNew)
            {
                continue;
            }

            added++;
            if (entries[i].Event is UnknownEvent unknownEvent)
            {
                unknown++;
                var eventType = Truncate(unknownEvent.EventType);
                IngestLog.UnknownEventType(logger, eventType, platform.Id);
            }
        }

        instruments.Journaled(platform.Id, formatTag, added, results.Count - added);
        if (unknown > 0)
        {
            instruments.Unknown(platform.Id, formatTag, unknown);
        }

        IngestLog.Journaled(logger, added, results.Count - added, formatTag, platform.Id);
        arrivals.Received(platform.Id, time.GetUtcNow().ToUnixTimeMilliseconds());
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Reads the whole body into a pooled buffer, refusing it (null) as soon as it passes the limit, whether
    /// or not Content-Length announced it. The caller returns the buffer to the pool.
    /// </summary>
    private static async Task<(byte[]? Buffer, int Length)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, 0);
        }

        // We enforce our own limit below; Kestrel's default (30 MB) must not cut in first with a different answer.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// An event time no real event can carry (before TaskRouter existed, or well past this host's clock) would be
    /// folded into a day that cannot be computed or a wait of decades; it is refused with the field named.
    /// </summary>
    private TaskRouterFieldError? OutsideEventTimes(List<JournalEntry> entries, JournalWireFormat format)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < entries.Count; i++)
        {
            if (eventTimes.Check(entries[i].Event, nowMs) is { } violation)
            {
                var field = EventTimeFieldName(violation.Field, format, i);
                return new TaskRouterFieldError(field, $"{field}: {violation.Message}");
            }
        }

        return null;
    }

    private static string EventTimeFieldName(EventTimeField field, JournalWireFormat format, int index) =>
        format == JournalWireFormat.Form
            ? TaskRouterEventParser.FieldName(field, form: true)
            : $"[{index}].data.payload.{TaskRouterEventParser.FieldName(field, form: false)}";

    /// <summary>The workspace rule (<see cref="EventAdmission.IsOfWorkspace"/>), with the field named as this format spells it.</summary>
    private static TaskRouterFieldError? WrongWorkspace(PlatformOptions platform, List<JournalEntry> entries, JournalWireFormat format)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (!EventAdmission.IsOfWorkspace(platform, entries[i].Event))
            {
                var field = format == JournalWireFormat.Form ? "WorkspaceSid" : $"[{i}].data.payload.workspace_sid";
                return new TaskRouterFieldError(field, $"{field} is not the workspace of platform '{platform.Id}'");
            }
        }

        return null;
    }

    /// <summary>
    /// Nothing was acknowledged: a 503 makes Twilio retry (Event Streams for hours; callbacks once).
    /// <c>Retry-After</c> is when the journal next tries to open, at least a second.
    /// </summary>
    private static ProblemHttpResult JournalUnavailable(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Journal unavailable",
            detail: "The event was not journaled; send it again later.");
    }

    private ProblemHttpResult Forbidden(PlatformOptions platform, string formatTag, string reason)
    {
        instruments.Rejected(formatTag, RejectReason.Signature);
        IngestLog.Rejected(logger, formatTag, platform.Id, reason);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Signature not accepted");
    }

    private ProblemHttpResult TooLarge(PlatformOptions platform, string formatTag)
    {
        instruments.Rejected(formatTag, RejectReason.TooLarge);
        IngestLog.Rejected(logger, formatTag, platform.Id, "body too large");
        return TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Body too large",
            detail: $"Webhook bodies are limited to {_maxBodyBytes} bytes (Lifeline:Ingest:MaxBodyBytes).");
    }

    private ValidationProblem Malformed(PlatformOptions platform, string formatTag, IReadOnlyList<TaskRouterFieldError> errors)
    {
        instruments.Rejected(formatTag, RejectReason.Malformed);
        return Refused(platform, formatTag, errors, "Malformed TaskRouter event");
    }

    private ValidationProblem InvalidText(PlatformOptions platform, string formatTag, TaskRouterFieldError error)
    {
        instruments.Rejected(formatTag, RejectReason.InvalidText);
        return Refused(platform, formatTag, [error], "Body is not UTF-8 text");
    }

    private ValidationProblem Refused(PlatformOptions platform, string formatTag, IReadOnlyList<TaskRouterFieldError> errors, string title)
    {
        IngestLog.Malformed(logger, formatTag, platform.Id, errors[0].Field);
        var byField = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            byField[error.Field] = byField.TryGetValue(error.Field, out var existing) ? [.. existing, error.Message] : [error.Message];
        }

        return TypedResults.ValidationProblem(byField, title: title, detail: errors[0].Message);
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];
}
