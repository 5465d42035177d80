using System.Net;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Api;

[Collection(FixtureStoryHost.Collection)]
public sealed class OpenApiTests(FixtureStoryHost host)
{
    [Fact]
    public async Task OpenApiDocument_EveryApiRead_HasSummaryPathParametersAndResponses()
    {
        var (status, _, body) = await host.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var paths = JsonNode.Parse(body)!["paths"]!.AsObject();
        var reads = paths.Where(p => p.Key.StartsWith("/api/platforms", StringComparison.Ordinal) && p.Value!["get"] is not null).ToList();
        Assert.Equal(25, reads.Count);
        foreach (var (path, item) in reads)
        {
            var get = item!["get"]!;
            Assert.False(string.IsNullOrEmpty(get["summary"]?.GetValue<string>()), path);
            var parameters = get["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "path").Select(p => p!["name"]!.GetValue<string>()) ?? [];
            var expected = path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}'));
            Assert.Equal(expected.Order(), parameters.Order());
            var responses = get["responses"]!.AsObject().Select(r => r.Key).Order().ToList();
            var scoped = path != "/api/platforms";
            var windowed = path.EndsWith("/metrics", StringComparison.Ordinal) || path.EndsWith("/logged-status", StringComparison.Ordinal) || path.EndsWith("/report", StringComparison.Ordinal)
                || path.EndsWith("/timeline", StringComparison.Ordinal) || path.EndsWith("/conversations", StringComparison.Ordinal)
                || path.EndsWith("/reconciliation", StringComparison.Ordinal);
            Assert.Equal(
                ((string[])["200", .. windowed ? ["400"] : (string[])[], .. scoped ? ["403", "404"] : (string[])[], .. path.EndsWith("/transcript", StringComparison.Ordinal) ? ["503"] : (string[])[]]).Order(),
                responses);
        }

        foreach (var (path, method) in (ValueTuple<string, string>[])[("/api/admin/quarantine", "get"), ("/api/admin/quarantine/reapply", "post"), ("/api/admin/kiosk-tokens", "post"),
            ("/api/admin/kiosk-tokens", "get"), ("/api/admin/kiosk-tokens/{id}", "delete"), ("/api/admin/audit", "get"),
            ("/api/admin/backfill", "get"), ("/api/admin/backfill", "post"),
            ("/api/admin/exports", "post"), ("/api/admin/exports/{id}", "get")])
        {
            Assert.False(string.IsNullOrEmpty(paths[path]?[method]?["summary"]?.GetValue<string>()), $"{method} {path}");
        }

        Assert.Equal(8, paths.Count(p => p.Key.StartsWith("/api/admin/", StringComparison.Ordinal)));

        // The task fixes, the only changes under /api/platforms: every answer an admin can act on is documented.
        var changes = paths.Where(p => p.Key.StartsWith("/api/platforms", StringComparison.Ordinal) && p.Value!["get"] is null).ToList();
        Assert.Equal(["/api/platforms/{platformId}/tasks/{taskSid}/cancel", "/api/platforms/{platformId}/tasks/{taskSid}/complete"], changes.Select(c => c.Key).Order(StringComparer.Ordinal));
        foreach (var (path, item) in changes)
        {
            var post = item!["post"]!;
            Assert.False(string.IsNullOrEmpty(post["summary"]?.GetValue<string>()), path);
            Assert.NotNull(post["requestBody"]);
            Assert.Equal(["200", "400", "401", "403", "404", "409", "422", "502", "503"], post["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("/webhooks/taskrouter/{platformId}")]
    [InlineData("/webhooks/eventstreams/{platformId}")]
    public async Task OpenApiDocument_Webhooks_DocumentWhatTheyAnswer(string path)
    {
        var (_, _, body) = await host.GetAsync("/openapi/v1.json");
        var responses = JsonNode.Parse(body)!["paths"]![path]!["post"]!["responses"]!.AsObject().Select(r => r.Key).Order();

        Assert.Equal(["204", "400", "403", "404", "413", "503"], responses);
    }

    [Fact]
    public async Task Webhooks_EachAnswerSeen_IsOneTheDocumentNames()
    {
        var (_, _, body) = await host.GetAsync("/openapi/v1.json");
        var documented = JsonNode.Parse(body)!["paths"]!["/webhooks/taskrouter/{platformId}"]!["post"]!["responses"]!.AsObject()
            .Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var client = host.Client;
        var seen = new List<HttpStatusCode>();
        foreach (var request in (Func<HttpRequestMessage>[])
        [
            () => Ingest.WebhookRequests.FormFixture(Fixtures.FormNames.First()),
            () => Ingest.WebhookRequests.Form("/webhooks/taskrouter/digi", "Sid=EV1", signature: null),
            () => Ingest.WebhookRequests.Form("/webhooks/taskrouter/nowhere", "Sid=EV1", signature: "x"),
            () => Ingest.WebhookRequests.SignedForm(new Dictionary<string, string>(StringComparer.Ordinal) { ["Sid"] = "not-a-sid" }),
        ])
        {
            using var message = request();
            using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
            seen.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.BadRequest], seen);
        Assert.All(seen, code => Assert.Contains((int)code, documented));
    }
}
