using System.Collections.Concurrent;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Conversations.Transcripts;

/// <summary>One log entry the host wrote.</summary>
internal sealed record TranscriptLogEntry(LogLevel Level, int EventId, string Category, string Message);

/// <summary>
/// The host's services as Program registers them for transcripts (<c>AddLifelineOptions</c> with the two test
/// platforms, then <c>AddTranscripts</c>), with Twilio replaced by <see cref="RecordedConversations"/> (the named
/// client's primary handler), a fake clock at <see cref="Now"/> and every log entry captured at every level.
/// </summary>
internal sealed class TranscriptHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<TranscriptLogEntry> _logs;
    private readonly IHost _host;

    private TranscriptHost(IHost host, RecordedConversations twilio, FakeTimeProvider clock, ConcurrentQueue<TranscriptLogEntry> logs)
    {
        _host = host;
        _logs = logs;
        Twilio = twilio;
        Clock = clock;
    }

    public RecordedConversations Twilio { get; }

    public FakeTimeProvider Clock { get; }

    public ITranscriptSource Source => _host.Services.GetRequiredService<ITranscriptSource>();

    public IReadOnlyList<TranscriptLogEntry> Logs => [.. _logs];

    /// <summary>A started host; <paramref name="configure"/> adds or overrides settings (e.g. <c>Lifeline:Transcripts:MaxPages</c>).</summary>
    public static async Task<TranscriptHost> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var (host, twilio, clock, logs) = Build(configure);
        var started = new TranscriptHost(host, twilio, clock, logs);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return started;
    }

    /// <summary>Builds (does not start) a host; its logs go to the returned queue.</summary>
    public static (IHost Host, RecordedConversations Twilio, FakeTimeProvider Clock, ConcurrentQueue<TranscriptLogEntry> Logs) Build(
        Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = TestPlatforms.Settings(Path.Combine(TestData.Root, $"transcripts-{Guid.NewGuid():N}.db"));
        settings["Logging:LogLevel:Default"] = "Trace";
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace);
        var logs = new ConcurrentQueue<TranscriptLogEntry>();
        builder.Logging.AddProvider(new CapturingLoggerProvider(logs));
        var clock = new FakeTimeProvider(Now);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddLifelineOptions();
        builder.AddTranscripts();
        var twilio = new RecordedConversations();
        builder.Services.AddHttpClient(TranscriptDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => twilio);
        return (builder.Build(), twilio, clock, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<TranscriptLogEntry> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, entries);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, ConcurrentQueue<TranscriptLogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new TranscriptLogEntry(logLevel, eventId.Id, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
