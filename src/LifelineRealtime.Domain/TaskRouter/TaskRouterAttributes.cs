using System.Text.Json;

namespace LifelineRealtime.Domain.TaskRouter;

/// <summary>
/// Task or worker attributes: TaskRouter sends them as a JSON string. The raw text is kept (it is what
/// the journal stores and what equality compares); the parsed document is built once, at parse time,
/// so a malformed value is rejected at ingest rather than discovered by a grain.
/// Attributes carry personal information (customer names, phone numbers): never log them.
/// </summary>
public sealed class TaskRouterAttributes : IEquatable<TaskRouterAttributes>
{
    public static readonly TaskRouterAttributes Empty = new("{}", JsonDocument.Parse("{}").RootElement.Clone());

    private TaskRouterAttributes(string json, JsonElement root)
    {
        Json = json;
        Root = root;
    }

    /// <summary>The attributes exactly as TaskRouter sent them.</summary>
    public string Json { get; }

    /// <summary>The parsed JSON object.</summary>
    public JsonElement Root { get; }

    /// <summary>Parses an attributes string; null or empty yields <see cref="Empty"/>.</summary>
    /// <exception cref="FormatException">The text is not a JSON object.</exception>
    public static TaskRouterAttributes Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            // The message of JsonException quotes no input, so it is safe to surface.
            throw new FormatException("attributes are not valid JSON: " + e.Message, e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("attributes must be a JSON object");
        }

        return new TaskRouterAttributes(json, root);
    }

    /// <summary>
    /// Reads a dotted path (<c>conversations.conversation_id</c>). Strings are returned as they are,
    /// numbers and booleans in their JSON text; objects, arrays, null and a missing path give null.
    /// </summary>
    public string? GetString(string path)
    {
        if (!TryGet(path, out var element))
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }

    /// <summary>Finds the element at a dotted path.</summary>
    public bool TryGet(string path, out JsonElement element)
    {
        element = Root;
        foreach (var segment in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                element = default;
                return false;
            }
        }

        return true;
    }

    public bool Equals(TaskRouterAttributes? other) => other is not null && string.Equals(Json, other.Json, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as TaskRouterAttributes);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    /// <summary>Deliberately opaque: attributes hold personal information and must not reach logs.</summary>
    public override string ToString() => $"TaskRouterAttributes({Json.Length} chars)";
}
