using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// The engine's meters and traces leave it: scraped by Prometheus (on a port of their own, or on the main one for
/// admins), or pushed to an OTLP collector when one is configured.
/// </summary>
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_WithoutAPortOfTheirOwn_AreOnTheMainPortForAdminsOnly()
    {
        await using var factory = new LifelineHostFactory();
        using var admin = factory.CreateClient();

        // Something to count first: a rejected webhook, and a signed one the journal commits.
        using (var unsigned = await admin.PostAsync(new Uri("/webhooks/taskrouter/digi", UriKind.Relative), new FormUrlEncodedContent([new("EventType", "task.created")]), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        }

        using (var signed = LifelineRealtime.Host.Tests.Ingest.WebhookRequests.FormFixture(Fixtures.FormNames.First()))
        using (var accepted = await admin.SendAsync(signed, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        }

        using var scrape = await admin.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await scrape.Content.ReadAsStringAsync(Ct);
        Assert.Contains("lifeline_ingest_rejected", text, StringComparison.Ordinal);

        // Durations in seconds have buckets in seconds (a journal commit takes milliseconds, not thousands of seconds).
        Assert.Contains("lifeline_journal_commit_duration_seconds_bucket{otel_scope_name=\"LifelineRealtime\",le=\"0.005\"}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lifeline_journal_commit_duration_seconds_bucket{otel_scope_name=\"LifelineRealtime\",le=\"7500\"}", text, StringComparison.Ordinal);

        admin.DefaultRequestHeaders.Authorization = null;
        using (var anonymous = await admin.GetAsync(new Uri("/metrics", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue([Roles.FullAccess], ["digi", "ciss"], []));
        using var fullAccess = await admin.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, fullAccess.StatusCode);
    }

    [Fact]
    public async Task Metrics_OnAPortOfTheirOwn_AreServedThereAnonymouslyAndNothingElseIs()
    {
        var databasePath = Path.Combine(TestData.Root, $"telemetry-{Guid.NewGuid():N}.db");
        var settings = TestPlatforms.Settings(databasePath);
        var metricsPort = FreePort();
        settings["Lifeline:Telemetry:MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using var host = await HostProcess.StartAsync(TestPlatforms.Arguments(settings), TimeSpan.FromSeconds(60), Ct);
            Assert.NotEqual(metricsPort, host.BaseAddress.Port);
            using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

            // Something to count first: a rejected webhook on the main port.
            using (var webhooks = new HttpClient { BaseAddress = host.BaseAddress })
            using (var unsigned = await webhooks.PostAsync(new Uri("/webhooks/taskrouter/digi", UriKind.Relative), new FormUrlEncodedContent([new("EventType", "task.created")]), Ct))
            {
                Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
            }

            using (var scrape = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
                Assert.Contains("lifeline_ingest_rejected", await scrape.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }

            using (var probe = await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            }

            foreach (var path in new[] { "/api/platforms/digi/metrics", "/wallboard/digi", "/status" })
            {
                using var other = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            }

            // And the main port (the one the Ingress routes) has no /metrics at all, even for an admin.
            using var admin = host.CreateClient();
            using var main = await admin.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.NotFound, main.StatusCode);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    [Fact]
    public async Task Otlp_Configured_MetersAndTracesArePushedToTheCollector()
    {
        // A collector of our own on loopback: it keeps what each OTLP/HTTP path receives.
        var received = new ConcurrentDictionary<string, ConcurrentQueue<byte[]>>(StringComparer.Ordinal);
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.GetOrAdd(signal, _ => new()).Enqueue(body.ToArray());

            // Protobuf carries names as UTF-8: the engine's instruments and the request's span are in what arrived.
            if (Contains(received, "metrics", "lifeline.") && Contains(received, "traces", "/api/platforms/digi/metrics"))
            {
                both.TrySetResult();
            }

            return Results.Ok();
        });
        await collector.StartAsync(Ct);
        var endpoint = collector.Urls.Single();

        await using var factory = new LifelineHostFactory(s =>
        {
            s["Lifeline:Telemetry:OtlpEndpoint"] = endpoint;
            s["Lifeline:Telemetry:OtlpProtocol"] = "HttpProtobuf";
            s["Lifeline:Telemetry:ExportInterval"] = "00:00:00.500";
        });
        using var client = factory.CreateClient();
        using (var status = await client.GetAsync(new Uri("/api/platforms/digi/metrics", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }

        // No scrape endpoint when OTLP is configured.
        using (var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
        }

        var arrived = await Task.WhenAny(both.Task, Task.Delay(TimeSpan.FromSeconds(60), Ct)) == both.Task;
        Assert.True(arrived, $"the collector received: {string.Join(", ", received.Select(r => $"{r.Key} ×{r.Value.Count} ({r.Value.Sum(b => b.Length)} bytes)"))}");
    }

    private static bool Contains(ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received, string signal, string text) =>
        received.TryGetValue(signal, out var bodies) && bodies.Any(b => Encoding.UTF8.GetString(b).Contains(text, StringComparison.Ordinal));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
