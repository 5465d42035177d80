using System.Diagnostics.Metrics;
using System.Globalization;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Storage.Tests;

/// <summary>A journal on its own temporary file, with its own meter factory and clock.</summary>
internal sealed class TestJournal : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestJournal(string path, ServiceProvider services, FakeTimeProvider time)
    {
        Path = path;
        _services = services;
        Time = time;
        MeterFactory = services.GetRequiredService<IMeterFactory>();
        Journal = Open();
    }

    public string Path { get; }

    public FakeTimeProvider Time { get; }

    public IMeterFactory MeterFactory { get; }

    public SqliteEventJournal Journal { get; private set; }

    public static TestJournal Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lifeline-tests", $"journal-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return new TestJournal(path, services, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_795_500_000_000)));
    }

    public SqliteEventJournal Open() =>
        new(new SqliteJournalOptions { Path = Path }, Time, new JournalInstruments(MeterFactory), NullLogger<SqliteEventJournal>.Instance);

    public async Task ReopenAsync()
    {
        await Journal.DisposeAsync();
        Journal = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync();
        await _services.DisposeAsync();
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(Path + suffix);
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
