using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// Reads a page as reliably as the API: every element with <c>data-metric="&lt;scope&gt;/&lt;answer&gt;/&lt;path&gt;"</c>
/// is compared with the API's JSON at that path. The answer is <c>live</c>, a window name (metrics),
/// <c>logged:W</c> (logged status) or <c>timeline:W</c> (a worker's timeline).
/// </summary>
internal static class PageFigures
{
    /// <summary>Asserts each figure's data-value equals the API's value; ticking ages may have counted up since the API's read.</summary>
    /// <returns>How many figures were compared.</returns>
    public static async Task<int> AssertEqualApiAsync(IPage page, HttpClient api, string scopePath, CancellationToken cancellationToken)
    {
        var figures = await page.EvaluateAsync<JsonElement>(
            "() => [...document.querySelectorAll('[data-metric]')].map(e => [e.dataset.metric, e.dataset.value, e.classList.contains('tick')])");
        var answers = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        async Task<JsonNode> Answer(string name)
        {
            if (!answers.TryGetValue(name, out var answer))
            {
                var path = name switch
                {
                    "live" => $"{scopePath}/live",
                    _ when name.StartsWith("logged:", StringComparison.Ordinal) => $"{scopePath}/logged-status?window={Uri.EscapeDataString(name[7..])}",
                    _ when name.StartsWith("timeline:", StringComparison.Ordinal) => $"{scopePath}/timeline?window={Uri.EscapeDataString(name[9..])}",
                    _ => $"{scopePath}/metrics?window={Uri.EscapeDataString(name)}",
                };
                answer = answers[name] = JsonNode.Parse(await api.GetStringAsync(new Uri(path, UriKind.Relative), cancellationToken))!;
            }

            return answer;
        }

        var compared = 0;
        foreach (var f in figures.EnumerateArray())
        {
            var metric = f[0].GetString()!;
            var parts = metric.Split('/', 3);
            var expected = Read(await Answer(parts[1]), parts[2]);
            var shown = f[1].GetString();
            if (f[2].GetBoolean() && expected is not null)
            {
                // An age shown as of the hub's push, the API's as of its own read: both count up from the same start.
                Assert.True(double.Parse(shown!, CultureInfo.InvariantCulture) <= expected.GetValue<double>() + 0.001, $"{metric}: page {shown}, API {expected.ToJsonString()}");
            }
            else
            {
                Assert.True(
                    expected?.ToJsonString() == (shown is "" ? null : shown) || double.Parse(shown!, CultureInfo.InvariantCulture) == expected!.GetValue<double>(),
                    $"{metric}: page {shown}, API {expected?.ToJsonString()}");
            }

            compared++;
        }

        return compared;
    }

    /// <summary>The value at a data-metric path: dots, array indexes, and arrays by key (<c>workers[activity=Available]</c>).</summary>
    public static JsonNode? Read(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            if (current is null)
            {
                return null;
            }

            var open = part.IndexOf('[', StringComparison.Ordinal);
            if (open > 0)
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var (name, key, value) = (part[..open], part[(open + 1)..equals], part[(equals + 1)..^1]);
                current = current[name]!.AsArray().FirstOrDefault(x => x![key]!.ToString() == value);
            }
            else
            {
                current = current is JsonArray array ? array[int.Parse(part, CultureInfo.InvariantCulture)] : current[part];
            }
        }

        return current;
    }
}
