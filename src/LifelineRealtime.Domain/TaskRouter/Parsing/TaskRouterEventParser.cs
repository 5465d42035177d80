using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace LifelineRealtime.Domain.TaskRouter.Parsing;

/// <summary>
/// Turns TaskRouter events from any wire format into <see cref="TaskRouterEvent"/> records: workspace
/// callbacks (form fields), Event Streams (CloudEvents 1.0 JSON) and the Events REST resource. Bad input
/// yields field errors, never an exception; an unknown event type yields <see cref="UnknownEvent"/>.
/// </summary>
public static class TaskRouterEventParser
{
    private const string EventStreamsTypePrefix = "com.twilio.taskrouter.";

    /// <summary>Parses a payload as it is stored (journal, grain inputs): the one place a stored format maps to its parser.</summary>
    public static TaskRouterParseResult ParsePayload(EventPayloadFormat format, string payload) => format switch
    {
        EventPayloadFormat.Form => ParseFormBody(payload),
        EventPayloadFormat.CloudEvent => ParseCloudEvent(payload),
        EventPayloadFormat.EventResource => ParseEventResource(payload),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown payload format"),
    };

    /// <summary>Parses the fields of one workspace callback (<c>EventCallbackUrl</c> form POST).</summary>
    public static TaskRouterParseResult ParseForm(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new EventFieldReader(fields, WireNames.Form, "").Read();
    }

    /// <summary>
    /// The wire name of an event time, as a callback (<paramref name="form"/>) or an Event Streams payload spells
    /// it; Event Streams carries the event time as an ISO-8601 <c>timestamp</c>.
    /// </summary>
    public static string FieldName(EventTimeField field, bool form)
    {
        var names = form ? WireNames.Form : WireNames.SnakeCase;
        return field switch
        {
            EventTimeField.Timestamp => form ? names.TimestampMs : names.TimestampSeconds,
            EventTimeField.TaskDateCreated => names.TaskDateCreated,
            _ => names.WorkerTimeInPreviousActivityMs,
        };
    }

    /// <summary>Parses a callback's raw <c>application/x-www-form-urlencoded</c> body (as the journal stores it).</summary>
    public static TaskRouterParseResult ParseFormBody(string body) => ParseForm(DecodeForm(body));

    /// <summary>
    /// Decodes a form body into its fields (a <c>+</c> is a space; the last of repeated names wins, which
    /// TaskRouter never sends). The decoded values are what a Twilio signature is computed over. A value whose
    /// escapes are not UTF-8 is decoded with replacement characters; <see cref="TryDecodeForm"/> refuses it.
    /// </summary>
    public static Dictionary<string, string> DecodeForm(string body) => DecodeFormCore(body, out _);

    /// <summary>
    /// Decodes a form body as <see cref="DecodeForm"/> does, refusing it (false, with the field named) when a
    /// name or value's <c>%XX</c> escapes are not UTF-8: such a value has no text to compare or store.
    /// </summary>
    public static bool TryDecodeForm(string body, out Dictionary<string, string> fields, out TaskRouterFieldError error)
    {
        fields = DecodeFormCore(body, out var invalidField);
        if (invalidField is null)
        {
            error = default;
            return true;
        }

        error = new TaskRouterFieldError(invalidField, $"{invalidField} is not UTF-8 text once its %XX escapes are decoded");
        return false;
    }

    private static Dictionary<string, string> DecodeFormCore(string body, out string? invalidField)
    {
        ArgumentNullException.ThrowIfNull(body);
        invalidField = null;
        var fields = new Dictionary<string, string>(48, StringComparer.Ordinal);
        var rest = body.AsSpan();
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var name = Decode(eq < 0 ? pair : pair[..eq], out var nameValid);
            var value = Decode(eq < 0 ? [] : pair[(eq + 1)..], out var valueValid);
            if (invalidField is null && !(nameValid && valueValid))
            {
                invalidField = nameValid ? name : "body";
            }

            fields[name] = value;
        }

        return fields;
    }

    /// <summary>
    /// Parses an Event Streams webhook body: a JSON array of CloudEvents (a bare CloudEvent object is
    /// accepted too). Each event comes from <c>data.payload</c>; each item keeps its own JSON text.
    /// </summary>
    public static EventStreamsParseResult ParseEventStreams(ReadOnlyMemory<byte> utf8Body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body);
        }
        catch (JsonException e)
        {
            return EventStreamsParseResult.Failure([new TaskRouterFieldError("body", "body is not valid JSON: " + e.Message)]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var single = ParseCloudEvent(root, "");
                return single.IsSuccess
                    ? EventStreamsParseResult.Success([new EventStreamsItem(single.Event!, root.GetRawText())])
                    : EventStreamsParseResult.Failure(single.Errors);
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return EventStreamsParseResult.Failure([new TaskRouterFieldError("body", "body must be a JSON array of CloudEvents")]);
            }

            var items = ImmutableArray.CreateBuilder<EventStreamsItem>(root.GetArrayLength());
            List<TaskRouterFieldError>? errors = null;
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var result = ParseCloudEvent(element, "[" + index + "].");
                if (result.IsSuccess)
                {
                    items.Add(new EventStreamsItem(result.Event!, element.GetRawText()));
                }
                else
                {
                    (errors ??= []).AddRange(result.Errors);
                }

                index++;
            }

            return errors is null ? EventStreamsParseResult.Success(items.MoveToImmutable()) : EventStreamsParseResult.Failure([.. errors]);
        }
    }

    /// <summary>Parses the JSON text of one CloudEvent (one item of an Event Streams body, as journaled).</summary>
    public static TaskRouterParseResult ParseCloudEvent(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return ParseCloudEvent(document.RootElement, "");
        }
        catch (JsonException e)
        {
            return TaskRouterParseResult.Failure([new TaskRouterFieldError("body", "body is not valid JSON: " + e.Message)]);
        }
    }

    /// <summary>
    /// Parses one TaskRouter Events REST resource (<c>GET /v1/Workspaces/{WS}/Events</c>): the event's
    /// own fields come from <c>event_data</c>, its identity and time (<c>event_date_ms</c>) from the top level.
    /// </summary>
    public static TaskRouterParseResult ParseEventResource(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return TaskRouterParseResult.Failure([new TaskRouterFieldError("body", "body must be a JSON object")]);
            }

            var fields = new Dictionary<string, string>(48, StringComparer.Ordinal);
            if (root.TryGetProperty("event_data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                Flatten(data, fields);
            }

            CopyTopLevel(root, "sid", fields, "sid");
            CopyTopLevel(root, "account_sid", fields, "account_sid");
            CopyTopLevel(root, "workspace_sid", fields, "workspace_sid");
            CopyTopLevel(root, "event_type", fields, "eventtype");
            CopyTopLevel(root, "resource_type", fields, "resource_type");
            CopyTopLevel(root, "resource_sid", fields, "resource_sid");
            CopyTopLevel(root, "event_date_ms", fields, WireNames.SnakeCase.TimestampMs);
            if (!fields.ContainsKey(WireNames.SnakeCase.TimestampMs))
            {
                CopyTopLevel(root, "event_date", fields, WireNames.SnakeCase.TimestampSeconds);
            }

            return new EventFieldReader(fields, WireNames.SnakeCase, "").Read();
        }
        catch (JsonException e)
        {
            return TaskRouterParseResult.Failure([new TaskRouterFieldError("body", "body is not valid JSON: " + e.Message)]);
        }
        catch (InvalidOperationException)
        {
            return TaskRouterParseResult.Failure([InvalidText("body")]);
        }
    }

    private static TaskRouterParseResult ParseCloudEvent(JsonElement cloudEvent, string prefix)
    {
        try
        {
            return ParseCloudEventFields(cloudEvent, prefix);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reads a string lazily and throws here for invalid UTF-8 or an unpaired surrogate escape.
            return TaskRouterParseResult.Failure([InvalidText(prefix.TrimEnd('.') is { Length: > 0 } item ? item : "body")]);
        }
    }

    private static TaskRouterFieldError InvalidText(string field) =>
        new(field, $"{field} holds a string that is not valid text (invalid UTF-8 or an unpaired surrogate escape)");

    private static TaskRouterParseResult ParseCloudEventFields(JsonElement cloudEvent, string prefix)
    {
        if (cloudEvent.ValueKind != JsonValueKind.Object)
        {
            return TaskRouterParseResult.Failure([new TaskRouterFieldError(prefix.TrimEnd('.'), "a CloudEvent must be a JSON object")]);
        }

        if (!cloudEvent.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return TaskRouterParseResult.Failure([new TaskRouterFieldError(prefix + "data", "data is required and must be an object")]);
        }

        if (!data.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return TaskRouterParseResult.Failure([new TaskRouterFieldError(prefix + "data.payload", "payload is required and must be an object")]);
        }

        var fields = new Dictionary<string, string>(48, StringComparer.Ordinal);
        Flatten(payload, fields);

        // The envelope repeats the identity; use it only where the payload lacks it.
        if (!fields.ContainsKey("sid"))
        {
            CopyTopLevel(data, "sid", fields, "sid");
        }

        if (!fields.ContainsKey("eventtype")
            && cloudEvent.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() is { } typeName && typeName.StartsWith(EventStreamsTypePrefix, StringComparison.Ordinal))
        {
            fields["eventtype"] = typeName[EventStreamsTypePrefix.Length..];
        }

        return new EventFieldReader(fields, WireNames.SnakeCase, prefix + "data.payload.").Read();
    }

    private static void Flatten(JsonElement payload, Dictionary<string, string> fields)
    {
        foreach (var property in payload.EnumerateObject())
        {
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    fields[property.Name] = value.GetString()!;
                    break;
                case JsonValueKind.True:
                    fields[property.Name] = "true";
                    break;
                case JsonValueKind.False:
                    fields[property.Name] = "false";
                    break;
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    break;
                default:
                    // Numbers keep their JSON text; an object where a JSON string was expected (attributes)
                    // keeps its text too, so it parses the same way.
                    fields[property.Name] = value.GetRawText();
                    break;
            }
        }
    }

    private static void CopyTopLevel(JsonElement source, string name, Dictionary<string, string> fields, string target)
    {
        if (source.TryGetProperty(name, out var value))
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    fields[target] = value.GetString()!;
                    break;
                case JsonValueKind.Number:
                    fields[target] = value.GetRawText();
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// Form decoding as WebUtility.UrlDecode does it (<c>+</c> is a space, <c>%XX</c> a byte, the bytes UTF-8,
    /// a malformed escape kept as it is), without its intermediate strings: a callback carries about fifty
    /// fields, three of them long JSON values, on every webhook and every journal replay.
    /// </summary>
    private static string Decode(ReadOnlySpan<char> encoded, out bool valid)
    {
        valid = true;
        if (encoded.IndexOfAny('%', '+') < 0)
        {
            return new string(encoded);
        }

        byte[]? rented = null;
        var buffer = encoded.Length <= 256 ? stackalloc byte[768] : (rented = ArrayPool<byte>.Shared.Rent(encoded.Length * 3));
        try
        {
            var length = 0;
            for (var i = 0; i < encoded.Length; i++)
            {
                var c = encoded[i];
                if (c == '+')
                {
                    buffer[length++] = (byte)' ';
                }
                else if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
                {
                    buffer[length++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                    i += 2;
                }
                else if (c < 0x80)
                {
                    buffer[length++] = (byte)c;
                }
                else
                {
                    // A raw non-ASCII character (not valid in a form body, but kept as it is, as UrlDecode does).
                    var width = char.IsHighSurrogate(c) && i + 1 < encoded.Length && char.IsLowSurrogate(encoded[i + 1]) ? 2 : 1;
                    length += Encoding.UTF8.GetBytes(encoded.Slice(i, width), buffer[length..]);
                    i += width - 1;
                }
            }

            valid = Utf8.IsValid(buffer[..length]);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
