using System.Diagnostics.Metrics;
using System.Globalization;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Storage.Tests;

/// <summary>A journal on its own temporary file, with its own meter factory and clock.</summary>
internal sealed class TestJournal : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Action<SqliteJournalOptions>? _configure;

    private TestJournal(string path, ServiceProvider services, FakeTimeProvider time, Action<SqliteJournalOptions>? configure)
    {
        Path = path;
        _services = services;
        _configure = configure;
        Time = time;
        MeterFactory = services.GetRequiredService<IMeterFactory>();
        Measurements = new MeasurementRecorder(MeterFactory);
        Journal = Open();
    }

    public string Path { get; }

    public FakeTimeProvider Time { get; }

    public IMeterFactory MeterFactory { get; }

    /// <summary>What the journal's instruments recorded since before it opened.</summary>
    public MeasurementRecorder Measurements { get; }

    /// <summary>Every message the journal logged, with its level and event id.</summary>
    public CapturingLogger<SqliteEventJournal> Log { get; } = new();

    public SqliteEventJournal Journal { get; private set; }

    /// <param name="path">The database file; a fresh one under the temporary folder when null.</param>
    /// <param name="configure">Changes to the journal's options.</param>
    public static TestJournal Create(string? path = null, Action<SqliteJournalOptions>? configure = null)
    {
        path ??= System.IO.Path.Combine(TestData.Root, $"journal-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return new TestJournal(path, services, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_795_500_000_000)), configure);
    }

    public SqliteEventJournal Open()
    {
        var options = new SqliteJournalOptions { Path = Path };
        _configure?.Invoke(options);
        return new(options, Time, new JournalInstruments(MeterFactory), Log);
    }

    public async Task ReopenAsync()
    {
        await Journal.DisposeAsync();
        Journal = Open();
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="step"/> until <paramref name="condition"/> holds: the journal's
    /// write loop acts on its retry timer asynchronously, so each step is given a moment to be acted on.
    /// </summary>
    public async Task AdvanceUntilAsync(TimeSpan step, Func<JournalHealth, bool> condition, int maxSteps = 1)
    {
        Time.Advance(step);
        for (var steps = 1; ; steps++)
        {
            if (await Eventually(() => condition(Journal.Health), TimeSpan.FromSeconds(10)))
            {
                return;
            }

            Assert.True(steps < maxSteps, $"journal health still {Journal.Health}");
            Time.Advance(step);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (real time).</summary>
    public static async Task<bool> Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync();
        Measurements.Dispose();
        await _services.DisposeAsync();
        foreach (var suffix in (string[])["", "-wal", "-shm", ".lock"])
        {
            if (File.Exists(Path + suffix))
            {
                File.Delete(Path + suffix);
            }
        }
    }
}

/// <summary>Keeps every message logged through it.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, int EventId, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}

/// <summary>Synthetic callback events with chosen Sids and times.</summary>
internal static class Events
{
    public static string Sid(int n) => "EV" + n.ToString("x32", CultureInfo.InvariantCulture);

    public static string TaskSid(int n) => "WT" + n.ToString("x32", CultureInfo.InvariantCulture);

    public static string FormBody(int n, long timestampMs, string eventType = "task.created") =>
        $"AccountSid=AC{new string('0', 28)}d161&WorkspaceSid=WS{new string('0', 28)}d161&Sid={Sid(n)}&EventType={eventType}"
        + $"&TimestampMs={timestampMs}&TaskSid={TaskSid(n)}&TaskAttributes=%7B%22supportType%22%3A%22imminent%22%7D";

    public static JournalEntry Form(int n, long timestampMs, string platform = "digi")
    {
        var body = FormBody(n, timestampMs);
        return new JournalEntry(platform, TaskRouterEventParser.ParseFormBody(body).Event!, JournalWireFormat.Form, body);
    }
}

/// <summary>Collects the measurements of one meter factory's instruments (parallel tests use their own factories).</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, string? Outcome)> _measurements = [];

    public MeasurementRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<double> Values(string instrument, string? outcome = null)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument && (outcome is null || m.Outcome == outcome)).Select(m => m.Value).ToList();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                outcome = tag.Value as string;
            }
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, outcome));
        }
    }
}
