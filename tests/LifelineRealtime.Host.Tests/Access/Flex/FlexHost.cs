using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Access.Flex;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Access.Flex;

/// <summary>One log entry a host wrote.</summary>
internal sealed record LoggedEntry(LogLevel Level, int EventId, string Category, string Message);

/// <summary>
/// The real host with Twilio replaced by <see cref="RecordedTwilio"/> (the Flex client's primary handler), a
/// fake clock at <see cref="Now"/> and every log entry captured.
/// </summary>
internal sealed class FlexHost : IAsyncDisposable
{
    /// <summary>2026-12-07 09:30 UTC: the recorded tokens expire at 10:22:44.240 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset RecordedExpiration = DateTimeOffset.Parse("2026-12-07T10:22:44.240Z", CultureInfo.InvariantCulture);

    public const string LeaderWorker = "WK0000000000000000000000000000f101";
    public const string AdminWorker = "WK0000000000000000000000000000f102";
    public const string AnalystWorker = "WK0000000000000000000000000000c103";

    private readonly ConcurrentQueue<LoggedEntry> _logs = new();

    public FlexHost(Action<Dictionary<string, string?>>? configure = null)
    {
        Factory = new LifelineHostFactory(configure, services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(_logs));
            services.AddHttpClient(FlexTokenDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Twilio);
        });
    }

    public RecordedTwilio Twilio { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Now);

    public LifelineHostFactory Factory { get; }

    public IReadOnlyList<LoggedEntry> Logs => [.. _logs];

    /// <summary>A token as the Flex UI holds it (opaque to us; its shape is a JWE), distinct per name.</summary>
    public static string Token(string who) =>
        "eyJ6aXAiOiJERUYiLCJraWQiOiJTQVNfUzNfX19LTVNfdjEiLCJjdHkiOiJ0d2lsaW8tZnBhO3Y9MSIsImVuYyI6IkEyNTZHQ00iLCJhbGciOiJkaXIifQ.." +
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"flex-sso-{who}-7d1f")).TrimEnd('=') + ".Qk9ZQ0xaYkRkRzRnbWc";

    /// <summary>A client that presents <paramref name="flexToken"/> as <c>Authorization: Flex …</c>.</summary>
    public HttpClient Client(string flexToken)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(FlexTokenDefaults.Scheme, flexToken);
        return client;
    }

    /// <summary>Makes the digi teams known (a worker in each), as TaskRouter's <c>worker.created</c> events would.</summary>
    public async Task KnowDigiTeamsAsync(CancellationToken cancellationToken, params string[] teams)
    {
        using var client = Factory.CreateClient();
        for (var i = 0; i < teams.Length; i++)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Sid"] = "EV" + (0xf100 + i).ToString("x32", CultureInfo.InvariantCulture),
                ["EventType"] = "worker.created",
                ["AccountSid"] = TestPlatforms.DigiAccount,
                ["WorkspaceSid"] = TestPlatforms.DigiWorkspace,
                ["TimestampMs"] = (Now.ToUnixTimeMilliseconds() - 60_000 + i).ToString(CultureInfo.InvariantCulture),
                ["WorkerSid"] = "WK" + (0xe100 + i).ToString("x32", CultureInfo.InvariantCulture),
                ["WorkerName"] = $"worker{i}",
                ["WorkerAttributes"] = JsonSerializer.Serialize(new Dictionary<string, string> { ["team_name"] = teams[i] }),
                ["WorkerActivityName"] = "Offline",
            };
            using var request = WebhookRequests.SignedForm(fields);
            using var response = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await Factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(Factory.Journal.HighWaterSequence, timeout.Token);
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    private sealed class CapturingLoggerProvider(ConcurrentQueue<LoggedEntry> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, entries);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, ConcurrentQueue<LoggedEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LoggedEntry(logLevel, eventId.Id, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
