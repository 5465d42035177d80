using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Host.Tests.Reconciliation;

/// <summary>A queue of the simulated day with the simulator's own account of it, in TaskRouter's statistics names.</summary>
internal sealed record QueueTruth(string Sid, string Name, IReadOnlyDictionary<string, double> Statistics);

/// <summary>What the reconciliation tests share: settings that send TaskRouter calls to the double, a simulated day through the webhook, captured logs.</summary>
internal static class ReconciliationHost
{
    public static void Configure(Dictionary<string, string?> settings, TaskRouterDouble twilio)
    {
        twilio.Configure(settings);
        // One send per call: a queued 5xx or 429 is the queue's answer, and no retry waits on a fake clock.
        settings["Lifeline:TaskRouterRest:MaxAttempts"] = "1";
    }

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>DIGI from 08:00 to 11:00 local on <paramref name="day"/>, posted through the signed webhook and dispatched; each queue's truth for the day.</summary>
    public static async Task<IReadOnlyList<QueueTruth>> PostSimulatedDayAsync(LifelineHostFactory factory, DateOnly day, CancellationToken cancellationToken)
    {
        var zone = SimulatedDay.Zone;
        var local = day.ToDateTime(new TimeOnly(8, 0));
        var options = new SimulatorOptions
        {
            Seed = 23,
            Duration = TimeSpan.FromHours(3),
            Workers = 12,
            Teams = 2,
            PeakArrivalsPerHour = 30,
            Platforms =
            [
                new SimulatorPlatformOptions
                {
                    Id = "digi", Name = "DIGI Central", Channel = "chat", AccountSid = TestPlatforms.DigiAccount, WorkspaceSid = TestPlatforms.DigiWorkspace,
                    AuthToken = TestPlatforms.DigiToken, TimeZone = zone.Id, SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"],
                },
            ],
        };
        var simulation = new TrafficSimulation(options, new DateTimeOffset(local, zone.GetUtcOffset(local)));
        var events = simulation.Events().ToList();
        using var client = factory.CreateClient();
        foreach (var e in events)
        {
            using var request = WebhookRequests.Simulated(e.PlatformId, e.Form, TestPlatforms.DigiToken);
            using var response = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, cancellationToken);

        var start = DateTimeOffset.FromUnixTimeMilliseconds(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))).ToUnixTimeMilliseconds());
        var counts = simulation.GroundTruth.Counts("digi", start, start.AddDays(1));
        var tasks = simulation.GroundTruth.Tasks;
        // Each support type has its own queue in the simulator, so its counts are that queue's.
        return [.. tasks.GroupBy(t => (t.TaskQueueSid, t.TaskQueueName, t.SupportType)).Select(g =>
        {
            var c = counts[g.Key.SupportType];
            return new QueueTruth(g.Key.TaskQueueSid, g.Key.TaskQueueName, new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["tasks_entered"] = c.Offered,
                ["tasks_canceled"] = c.Abandoned,
                ["reservations_created"] = c.Reservations,
                ["reservations_accepted"] = c.Handled,
                ["reservations_rejected"] = c.Rejected,
                ["reservations_timed_out"] = c.TimedOut,
                ["wait_duration_until_accepted.total"] = g.Sum(t => t.WaitMs ?? 0) / 1000.0,
            });
        }).OrderByDescending(q => q.Statistics["tasks_entered"])];
    }

    public static async Task<JsonNode> PostRunAsync(HttpClient client, string platform, DateOnly date, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync($"/api/platforms/{platform}/reconciliation", new { date = Day(date) }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
    }

    public static JsonNode Queue(JsonNode run, string sid) => run["queues"]!.AsArray().Single(q => q!["taskQueueSid"]!.GetValue<string>() == sid)!;

    public static JsonNode Measure(JsonNode queue, string name) => queue["measures"]!.AsArray().Single(m => m!["measure"]!.GetValue<string>() == name)!;
}

/// <summary>Keeps every log entry's level, event id and message.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
    }
}
