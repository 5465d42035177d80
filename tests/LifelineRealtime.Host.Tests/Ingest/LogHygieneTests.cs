using System.Collections.Concurrent;
using System.Net;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>Logs never carry a token, a signature, attributes or a name, whatever the request's fate.</summary>
public sealed class LogHygieneTests
{
    [Fact]
    public async Task Webhooks_AcceptedAndRefused_LogNoSecretsOrPersonalData()
    {
        var ct = TestContext.Current.CancellationToken;
        var sink = new CapturingLoggerProvider();
        await using var factory = new LifelineHostFactory(s => s["Logging:LogLevel:Default"] = "Trace");
        using var client = factory.WithWebHostBuilder(b => b.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(sink))).CreateClient();
        const string name = "08-reservation.accepted.form";

        using (var accepted = WebhookRequests.FormFixture(name))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(accepted, ct)).StatusCode);
        }

        using (var tampered = WebhookRequests.Form(Fixtures.PathAndQuery(name), Fixtures.Text(name).Replace("TaskAge=49", "TaskAge=4", StringComparison.Ordinal), Fixtures.Signature(name)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(tampered, ct)).StatusCode);
        }

        var malformedFields = WebhookRequests.DigiTaskFields(9);
        malformedFields["TaskAttributes"] = "{\"name\":\"Jamie Citizen\"";
        using (var malformed = WebhookRequests.SignedForm(malformedFields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(malformed, ct)).StatusCode);
        }

        var messages = sink.Messages.ToList();
        Assert.NotEmpty(messages);
        string[] forbidden =
        [
            TestPlatforms.DigiToken, Fixtures.Signature(name), "Jamie", "Alex Example", "alex.example@example.org",
            "supportType", "team_name",
        ];
        foreach (var message in messages)
        {
            foreach (var text in forbidden)
            {
                Assert.DoesNotContain(text, message, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
