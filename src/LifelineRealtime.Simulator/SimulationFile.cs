using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace LifelineRealtime.Simulator;

/// <summary>
/// A recorded stream as NDJSON, one event a line: <c>{"platform":"ciss","timestampMs":…,"form":"…"}</c>.
/// Written with fixed property order and escaping, so the same events give the same bytes.
/// </summary>
public static class SimulationFile
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static async Task<int> WriteAsync(string path, IEnumerable<SimulatedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return await WriteAsync(stream, events, cancellationToken);
    }

    public static async Task<int> WriteAsync(Stream stream, IEnumerable<SimulatedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        var count = 0;
        var buffer = new MemoryStream();
        foreach (var e in events)
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("platform", e.PlatformId);
                writer.WriteNumber("timestampMs", e.TimestampMs);
                writer.WriteString("form", e.Form);
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            count++;
        }

        await stream.FlushAsync(cancellationToken);
        return count;
    }

    public static async IAsyncEnumerable<SimulatedEvent> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return ParseLine(line, path, lineNumber);
        }
    }

    private static SimulatedEvent ParseLine(string line, string path, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new SimulatedEvent(
                root.GetProperty("platform").GetString() ?? throw new FormatException("platform is null"),
                root.GetProperty("timestampMs").GetInt64(),
                root.GetProperty("form").GetString() ?? throw new FormatException("form is null"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}:{lineNumber} is not a simulator event line.", ex);
        }
    }
}
