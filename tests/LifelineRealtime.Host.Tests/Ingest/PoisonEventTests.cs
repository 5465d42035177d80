using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>
/// Signed requests carrying what can never be a real event: times outside the window and text that is not
/// UTF-8. Each is answered 400 naming the field, and nothing of the request reaches the journal.
/// </summary>
public sealed class PoisonEventTests
{
    private const string EventStreamsBatch = "20-eventstreams-batch.json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string> FormPoisons() => new()
    {
        // fixture, field changed, value, field the answer names
        { "01-task.created.form", "TimestampMs", "100000000000000000", "TimestampMs" },
        { "01-task.created.form", "TimestampMs", long.MaxValue.ToString(CultureInfo.InvariantCulture), "TimestampMs" },
        { "01-task.created.form", "TimestampMs", "253402300799999", "TimestampMs" },
        { "01-task.created.form", "TimestampMs", "32503680000000", "TimestampMs" },
        { "01-task.created.form", "TimestampMs", "0", "TimestampMs" },
        { "01-task.created.form", "TimestampMs", "1230768000000", "TimestampMs" },
        { "01-task.created.form", "TaskDateCreated", "86400", "TaskDateCreated" },
        { "01-task.created.form", "TaskDateCreated", "253402300799", "TaskDateCreated" },
        { "04-worker.activity.update.form", "WorkerTimeInPreviousActivityMs", "1795474835020", "WorkerTimeInPreviousActivityMs" },
    };

    [Theory]
    [MemberData(nameof(FormPoisons))]
    public async Task Callback_EventTimeNoRealEventCarries_400NamingTheFieldAndNothingJournaled(string fixture, string field, string value, string named)
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var fields = TaskRouterEventParser.DecodeForm(Fixtures.Text(fixture));
        fields[field] = value;
        if (field == "TimestampMs")
        {
            fields.Remove("Timestamp");
        }

        using var request = WebhookRequests.SignedForm(fields);
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var message = problem.RootElement.GetProperty("errors").GetProperty(named)[0].GetString();
        Assert.Contains("outside the accepted window", message ?? "", StringComparison.Ordinal);
        Assert.Empty(await factory.ReadJournalAsync());
        Assert.Equal(1, recorder.Sum("lifeline.ingest.rejected", ("reason", "event_time")));
    }

    [Fact]
    public async Task Callback_EventTimeWithinTheWindow_IsAccepted()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var fields = TaskRouterEventParser.DecodeForm(Fixtures.Text("01-task.created.form"));
        fields["TimestampMs"] = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        using var request = WebhookRequests.SignedForm(fields);
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task Callback_WindowIsConfigurable()
    {
        await using var factory = new LifelineHostFactory(c => c["Lifeline:Ingest:EarliestEventTime"] = "2027-01-01T00:00:00Z");
        using var client = factory.CreateClient();

        using var request = WebhookRequests.FormFixture("01-task.created.form");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z", "[1].data.payload.timestamp")]
    [InlineData("3000-01-01T00:00:00Z", "[1].data.payload.timestamp")]
    [InlineData("1970-01-01T00:00:00Z", "[1].data.payload.timestamp")]
    public async Task EventStreams_OneItemOutsideTheWindow_WholeBatch400NamingTheIndexedField(string timestamp, string named)
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var batch = JsonDocument.Parse(Fixtures.Text(EventStreamsBatch));
        var items = batch.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
        Assert.True(items.Count >= 2);
        var second = items[1];
        var original = JsonDocument.Parse(second).RootElement.GetProperty("data").GetProperty("payload").GetProperty("timestamp").GetString()!;
        items[1] = second.Replace($"\"timestamp\": \"{original}\"", $"\"timestamp\": \"{timestamp}\"", StringComparison.Ordinal)
            .Replace($"\"timestamp\":\"{original}\"", $"\"timestamp\":\"{timestamp}\"", StringComparison.Ordinal);
        Assert.NotEqual(second, items[1]);

        using var response = await SendEventStreamsAsync(client, Encoding.UTF8.GetBytes("[" + string.Join(',', items) + "]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(named, out _), problem.RootElement.GetRawText());
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task EventStreams_InvalidUtf8InsideAString_400AndNothingJournaled()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var text = Fixtures.Text(EventStreamsBatch);
        var marker = text.IndexOf("Jamie", StringComparison.Ordinal);
        Assert.True(marker > 0);
        var body = Encoding.UTF8.GetBytes(text);
        var at = Encoding.UTF8.GetByteCount(text.AsSpan(0, marker));
        body[at] = 0xFF;

        using var response = await SendEventStreamsAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("body", out _));
        Assert.Empty(await factory.ReadJournalAsync());
        Assert.Equal(1, recorder.Sum("lifeline.ingest.rejected", ("reason", "invalid_text")));
    }

    [Fact]
    public async Task EventStreams_UnpairedSurrogateEscape_400NamingTheItem()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var text = Fixtures.Text(EventStreamsBatch);
        var at = text.IndexOf("Jamie", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), "\\ud800", text.AsSpan(at)));

        using var response = await SendEventStreamsAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith('['));
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task Callback_RawBytesNotUtf8_400AndNothingJournaled()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes(Fixtures.Text("01-task.created.form"));
        body[body.Length - 1] = 0xC3;

        using var request = new HttpRequestMessage(HttpMethod.Post, Fixtures.PathAndQuery("01-task.created.form"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add("X-Twilio-Signature", Fixtures.Signature("01-task.created.form"));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task Callback_EscapedBytesNotUtf8_400NamingTheField()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        var body = Fixtures.Text("01-task.created.form").Replace("WorkflowName=DIGI+routing", "WorkflowName=DIGI%FF%FE", StringComparison.Ordinal);

        using var request = WebhookRequests.Form(Fixtures.PathAndQuery("01-task.created.form"), body, Fixtures.Signature("01-task.created.form"));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("WorkflowName", out _));
        Assert.Empty(await factory.ReadJournalAsync());
    }

    private static async Task<HttpResponseMessage> SendEventStreamsAsync(HttpClient client, byte[] body)
    {
        var url = TwilioTestSigner.WithBodyHash(TestPlatforms.PublicBaseUrl + "/webhooks/eventstreams/digi", body);
        using var request = WebhookRequests.Json(new Uri(url).PathAndQuery, body, TwilioTestSigner.Sign(TestPlatforms.DigiToken, url));
        return await client.SendAsync(request, Ct);
    }
}
