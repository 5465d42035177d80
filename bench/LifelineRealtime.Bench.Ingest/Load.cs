using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace LifelineRealtime.Bench.Ingest;

/// <summary>Sends every prepared request once, from N concurrent clients, timing each acknowledgement.</summary>
internal static class Load
{
    // pathOverride: send to this path instead of each request's own (the baseline route), keeping the query.
    public static async Task<LoadResult> RunAsync(HttpClient http, PreparedRequest[] requests, string? pathOverride, int clients)
    {
        var latencies = new long[requests.Length];
        var next = -1;
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length)
            {
                var prepared = requests[i];
                var path = pathOverride is null ? prepared.PathAndQuery : pathOverride + new Uri(new Uri("http://x"), prepared.PathAndQuery).Query;
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(prepared.Body) };
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(prepared.ContentType);
                request.Headers.Add("X-Twilio-Signature", prepared.Signature);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies[i] = Stopwatch.GetTimestamp() - sent;
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Array.Sort(latencies);
        return new LoadResult(requests.Length, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), failures);
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}

internal sealed record LoadResult(int Requests, TimeSpan Elapsed, double P50Ms, double P99Ms, int Failures)
{
    public double PerSecond(int eventsPerRequest) => Requests * eventsPerRequest / Elapsed.TotalSeconds;

    public void Print(string name, int eventsPerRequest) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Requests} | {PerSecond(eventsPerRequest):0} | {P50Ms:0.00} | {P99Ms:0.00} | {Failures} |"));
}
