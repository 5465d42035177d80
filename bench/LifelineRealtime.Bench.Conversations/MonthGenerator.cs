using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Bench.Conversations;

/// <summary>
/// A month of one voice platform as TaskRouter would post it, from the product's own simulator (support types
/// weighted by <see cref="SimulatorOptions.SupportTypeWeights"/>, rejections, timeouts, transfers, abandons, shifts
/// with a daily rhythm), parsed by the product's parser into journal entries. Each task's events also go through
/// the product's <see cref="TaskLifecycle"/>, so the conversation records are the ones the engine builds.
/// Deterministic from the seed.
/// </summary>
internal sealed class MonthGenerator
{
    // The sum of the simulator's hourly arrival rhythm (shares of the peak rate, one per local hour): a day brings
    // this many peak hours' worth of tasks.
    private const double PeakHoursPerDay = 15.75;

    // A task is finished when it has been quiet this long in simulated time (the longest stuck wrap-up is an hour).
    private const long QuietMs = 6 * 3_600_000L;

    private readonly PlatformSettings _settings;
    private readonly SimulatorOptions _options;
    private readonly DateTimeOffset _start;
    private readonly Dictionary<string, (TaskLifecycle Lifecycle, long LastMs)> _open = new(StringComparer.Ordinal);

    public MonthGenerator(PlatformOptions platform, PlatformSettings settings, DateOnly firstDay, int days, int conversations, int workers, int teams)
    {
        _settings = settings;
        _start = DateTimeOffset.FromUnixTimeMilliseconds(settings.LocalDayStartMs(firstDay));
        _options = new SimulatorOptions
        {
            Seed = 42,
            Workers = workers,
            Teams = teams,
            Start = _start,
            Duration = TimeSpan.FromMilliseconds(settings.LocalDayStartMs(firstDay.AddDays(days)) - settings.LocalDayStartMs(firstDay)),
            PeakArrivalsPerHour = conversations / (days * PeakHoursPerDay),
            Platforms =
            [
                new SimulatorPlatformOptions
                {
                    Id = platform.Id, Name = platform.Name, Channel = platform.Channel, AccountSid = platform.AccountSid,
                    WorkspaceSid = platform.WorkspaceSid, AuthToken = platform.AuthToken, TimeZone = platform.TimeZone,
                    SupportTypes = platform.SupportTypes,
                },
            ],
        };
    }

    public long Events { get; private set; }

    public long PayloadBytes { get; private set; }

    /// <summary>Journal entries in event-time order, in batches, each with the conversations finished by then.</summary>
    public IEnumerable<(List<JournalEntry> Entries, List<ConversationRecord> Finished)> Generate(int batchSize)
    {
        var entries = new List<JournalEntry>(batchSize);
        foreach (var simulated in new TrafficSimulation(_options, _start).Events())
        {
            var parsed = TaskRouterEventParser.ParseFormBody(simulated.Form);
            var e = parsed.Event ?? throw new InvalidOperationException($"a simulated event does not parse: {string.Join("; ", parsed.Errors)}");
            entries.Add(new JournalEntry(_settings.Id, e, JournalWireFormat.Form, simulated.Form));
            Events++;
            PayloadBytes += simulated.Form.Length;
            if (e.TaskOf() is { } task)
            {
                if (!_open.TryGetValue(task.Sid, out var held))
                {
                    held = (new TaskLifecycle(task.Sid, _settings), 0);
                }

                held.Lifecycle.Apply(e);
                _open[task.Sid] = (held.Lifecycle, Math.Max(held.LastMs, e.TimestampMs));
            }

            if (entries.Count >= batchSize)
            {
                yield return (entries, Finish(simulated.TimestampMs - QuietMs));
                entries = new List<JournalEntry>(batchSize);
            }
        }

        yield return (entries, Finish(long.MaxValue));
    }

    /// <summary>The records of the tasks quiet since <paramref name="beforeMs"/>, which are then let go.</summary>
    private List<ConversationRecord> Finish(long beforeMs)
    {
        var done = _open.Where(t => t.Value.LastMs < beforeMs).Select(t => t.Key).ToList();
        var records = new List<ConversationRecord>(done.Count);
        foreach (var sid in done)
        {
            var lifecycle = _open[sid].Lifecycle;
            if (lifecycle.OutgoingTransfer is not null)
            {
                // A chat transfer by new task would change the original's record; this month is voice, whose transfers keep the task.
                throw new InvalidOperationException($"task {sid} is a transfer by new task, which this generator does not link");
            }

            records.Add(lifecycle.Conversation);
            _open.Remove(sid);
        }

        return records;
    }
}
