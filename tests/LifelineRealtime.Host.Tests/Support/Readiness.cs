using System.Net;
using System.Text.Json.Nodes;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>Reads <c>/readyz</c> and waits for it to change (the journal retries on its own, on the real clock).</summary>
internal static class Readiness
{
    public static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        return (response.StatusCode, body);
    }

    public static async Task<JsonNode> StatusAsync(HttpClient client) =>
        JsonNode.Parse(await client.GetStringAsync(new Uri("/status", UriKind.Relative), TestContext.Current.CancellationToken))!;

    /// <summary>Polls <c>/readyz</c> until it answers <paramref name="expected"/>; fails after <paramref name="deadline"/>.</summary>
    public static async Task<JsonNode> WaitForAsync(HttpClient client, HttpStatusCode expected, TimeSpan deadline)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await GetAsync(client);
            if (status == expected)
            {
                return body;
            }

            Assert.True(waited.Elapsed < deadline, $"/readyz still {(int)status} after {waited.Elapsed}: {body.ToJsonString()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        }
    }
}
