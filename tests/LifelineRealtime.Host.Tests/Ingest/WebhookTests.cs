using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Ingest;

public sealed class WebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TaskRouterWebhook_EveryFormFixtureTwiceConcurrently_All204AndJournaledOnce()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var names = Fixtures.FormNames.ToList();

        var responses = await Task.WhenAll(names.Concat(names).Select(async name =>
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }));

        Assert.Equal(28, responses.Length);
        Assert.All(responses, status => Assert.Equal(HttpStatusCode.NoContent, status));
        var records = await factory.ReadJournalAsync();
        Assert.Equal(14, records.Count);
        Assert.Equal(14, records.Select(r => r.EventSid).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 14).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(13, records.Count(r => r.PlatformId == "digi"));
        Assert.Equal(1, records.Count(r => r.PlatformId == "ciss"));
        Assert.Equal(14, recorder.Sum("lifeline.ingest.events", ("outcome", "new"), ("format", "form")));
        Assert.Equal(14, recorder.Sum("lifeline.ingest.events", ("outcome", "duplicate")));
        Assert.Equal(0, recorder.Sum("lifeline.ingest.rejected"));
    }

    [Fact]
    public async Task TaskRouterWebhook_Fixture_JournalsTheBodyAsReceived()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();

        using var request = WebhookRequests.FormFixture("04-worker.activity.update.form");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var record = Assert.Single(await factory.ReadJournalAsync());
        Assert.Equal(Fixtures.Text("04-worker.activity.update.form"), record.Payload);
        Assert.Equal(JournalWireFormat.Form, record.Format);
        Assert.Equal("worker.activity.update", record.EventType);
        Assert.Equal(1795474835020L, record.EventTimeMs);
        Assert.Equal("WK000000000000000000000000000b1a6e", record.WorkerSid);
        Assert.Null(record.TaskSid);
    }

    [Fact]
    public async Task EventStreamsWebhook_FixtureBatch_204AndDedupesAgainstCallbacks()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        const string batch = "20-eventstreams-batch.json";

        using var callback = WebhookRequests.FormFixture("09-task.wrapup.form");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(callback, Ct)).StatusCode);
        using var streamed = WebhookRequests.Json(Fixtures.PathAndQuery(batch), Fixtures.Bytes(batch), Fixtures.Signature(batch));
        using var response = await client.SendAsync(streamed, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var records = await factory.ReadJournalAsync();
        Assert.Equal(
            ["EV000000000000000000000000e0000009", "EV000000000000000000000000e0000008", "EV000000000000000000000000e000000b"],
            records.Select(r => r.EventSid));
        Assert.Equal([JournalWireFormat.Form, JournalWireFormat.EventStreams, JournalWireFormat.EventStreams], records.Select(r => r.Format));
        Assert.Equal(2, recorder.Sum("lifeline.ingest.events", ("format", "eventstreams"), ("outcome", "new")));
        Assert.Equal(1, recorder.Sum("lifeline.ingest.events", ("format", "eventstreams"), ("outcome", "duplicate")));
    }

    [Fact]
    public async Task TaskRouterWebhook_SignatureOverUrlWithPort443_IsAccepted()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        const string name = "01-task.created.form";

        using var request = WebhookRequests.Form(Fixtures.PathAndQuery(name), Fixtures.Text(name), Fixtures.SignatureWithPort(name));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task TaskRouterWebhook_UnknownEventType_204JournaledAndCounted()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());

        using var request = WebhookRequests.SignedForm(WebhookRequests.DigiTaskFields(77, "task.teleported"));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var record = Assert.Single(await factory.ReadJournalAsync());
        Assert.Equal("task.teleported", record.EventType);
        Assert.IsType<LifelineRealtime.Domain.TaskRouter.UnknownEvent>(record.Event);
        Assert.Equal(1, recorder.Sum("lifeline.ingest.unknown_events", ("platform", "digi"), ("format", "form")));
        Assert.Equal(1, recorder.Sum("lifeline.ingest.events", ("outcome", "new")));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("wrong-token")]
    [InlineData("wrong-url")]
    [InlineData("missing")]
    [InlineData("shared-key")]
    public async Task TaskRouterWebhook_BadSignature_403AndNothingWritten(string variant)
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        const string name = "08-reservation.accepted.form";
        var body = Fixtures.Text(name);
        var fields = LifelineRealtime.Domain.TaskRouter.Parsing.TaskRouterEventParser.DecodeForm(body);
        var path = Fixtures.PathAndQuery(name);
        var signature = Fixtures.Signature(name);
        switch (variant)
        {
            case "tampered":
                body = body.Replace("TaskAge=49", "TaskAge=48", StringComparison.Ordinal);
                break;
            case "wrong-token":
                signature = TwilioTestSigner.Sign(TestPlatforms.CissToken, Fixtures.Url(name), fields);
                break;
            case "wrong-url":
                signature = TwilioTestSigner.Sign(TestPlatforms.DigiToken, "https://other.example.org/webhooks/taskrouter/digi", fields);
                break;
            case "missing":
                signature = null!;
                break;
            default:
                break;
        }

        using var request = WebhookRequests.Form(path, body, signature);
        if (variant == "shared-key")
        {
            request.Headers.Add("X-Twilio-Webhooks-Signature-Settings", "key=k1,algorithm=HMAC_SHA256");
        }

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
        Assert.Equal(1, recorder.Sum("lifeline.ingest.rejected", ("reason", "signature")));
    }

    [Fact]
    public async Task EventStreamsWebhook_BodyChangedAfterSigning_403AndNothingWritten()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        const string batch = "20-eventstreams-batch.json";
        var body = Encoding.UTF8.GetBytes(Fixtures.Text(batch).Replace("\"task_age\": 49", "\"task_age\": 48", StringComparison.Ordinal));

        using var request = WebhookRequests.Json(Fixtures.PathAndQuery(batch), body, Fixtures.Signature(batch));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task EventStreamsWebhook_NoBodyHashInUrl_403()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        const string url = TestPlatforms.PublicBaseUrl + "/webhooks/eventstreams/digi";

        using var request = WebhookRequests.Json("/webhooks/eventstreams/digi", Fixtures.Bytes("20-eventstreams-batch.json"), TwilioTestSigner.Sign(TestPlatforms.DigiToken, url));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task TaskRouterWebhook_UnknownPlatform_404ProblemAndNothingWritten()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());

        using var request = WebhookRequests.Form("/webhooks/taskrouter/nowhere", Fixtures.Text("01-task.created.form"), Fixtures.Signature("01-task.created.form"));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("No platform 'nowhere' is configured.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Empty(await factory.ReadJournalAsync());
        Assert.Equal(1, recorder.Sum("lifeline.ingest.rejected", ("reason", "unknown_platform")));
    }

    [Fact]
    public async Task TaskRouterWebhook_MissingTaskSid_400NamingTheFieldAndNothingWritten()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var fields = WebhookRequests.DigiTaskFields(5);
        fields.Remove("TaskSid");

        using var request = WebhookRequests.SignedForm(fields);
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("TaskSid is required", problem.RootElement.GetProperty("errors").GetProperty("TaskSid")[0].GetString());
        Assert.Empty(await factory.ReadJournalAsync());
        Assert.Equal(1, recorder.Sum("lifeline.ingest.rejected", ("reason", "malformed")));
    }

    [Fact]
    public async Task TaskRouterWebhook_EventOfAnotherWorkspace_400NamingWorkspaceSid()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var fields = WebhookRequests.DigiTaskFields(6);
        fields["WorkspaceSid"] = TestPlatforms.CissWorkspace;

        using var request = WebhookRequests.SignedForm(fields);
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("WorkspaceSid", out _));
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task EventStreamsWebhook_MalformedItem_400NamingIndexedField()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes("""[{"type":"com.twilio.taskrouter.task.created","data":{"payload":{"sid":"EV1"}}}]""");
        var url = TwilioTestSigner.WithBodyHash(TestPlatforms.PublicBaseUrl + "/webhooks/eventstreams/digi", body);

        using var request = WebhookRequests.Json(new Uri(url).PathAndQuery, body, TwilioTestSigner.Sign(TestPlatforms.DigiToken, url));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal("sid must be EV followed by 32 hex digits", errors.GetProperty("[0].data.payload.sid")[0].GetString());
        Assert.True(errors.TryGetProperty("[0].data.payload.task_sid", out _));
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task TaskRouterWebhook_ContentLengthOverLimit_413AndNothingWritten()
    {
        await using var factory = new LifelineHostFactory(s => s["Lifeline:Ingest:MaxBodyBytes"] = "1000");
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());

        using var request = WebhookRequests.FormFixture("01-task.created.form");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
        Assert.Equal(1, recorder.Sum("lifeline.ingest.rejected", ("reason", "too_large")));
    }

    [Fact]
    public async Task TaskRouterWebhook_ChunkedBodyOverLimit_413AndNothingWritten()
    {
        await using var factory = new LifelineHostFactory(s => s["Lifeline:Ingest:MaxBodyBytes"] = "1000");
        // Over a real socket, so the body really goes out chunked with no Content-Length.
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        const string name = "01-task.created.form";

        using var request = new HttpRequestMessage(HttpMethod.Post, Fixtures.PathAndQuery(name))
        {
            Content = new UnknownLengthContent(Encoding.UTF8.GetBytes(Fixtures.Text(name))),
        };
        request.Headers.Add("X-Twilio-Signature", Fixtures.Signature(name));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task TaskRouterWebhook_ChunkedBodyUnderLimit_204()
    {
        await using var factory = new LifelineHostFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        const string name = "01-task.created.form";

        using var request = new HttpRequestMessage(HttpMethod.Post, Fixtures.PathAndQuery(name))
        {
            Content = new UnknownLengthContent(Encoding.UTF8.GetBytes(Fixtures.Text(name))),
        };
        request.Headers.Add("X-Twilio-Signature", Fixtures.Signature(name));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(await factory.ReadJournalAsync());
    }

    /// <summary>A body sent without Content-Length, so only the limit enforced while reading can stop it.</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
