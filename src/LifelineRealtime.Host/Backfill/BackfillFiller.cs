using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LifelineRealtime.Domain.Backfill;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.TaskRouterRest;
using LifelineRealtime.Storage.Backfill;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Host.Backfill;

/// <summary>
/// Runs one fill: reads the period's event resources page by page (<see cref="ITaskRouterRest.ReadEventsAsync"/>),
/// parses each, applies ingest's own checks (<see cref="EventAdmission"/>) and journals each page as one batch in
/// <see cref="JournalWireFormat.EventsResource"/>; the journal dedupes by event Sid, so what the webhook already
/// delivered counts as a duplicate. An unparsable or refused resource is counted and skipped, never stops the fill.
/// The reconciliation record is written when the fill starts and completed when it ends. One fill per platform at a time.
/// </summary>
public sealed class BackfillFiller(
    ITaskRouterRest taskRouter,
    IEventJournal journal,
    IBackfillRecords records,
    PlatformCatalog platforms,
    EventTimeWindow eventTimes,
    BackfillStatusBoard board,
    BackfillInstruments instruments,
    TimeProvider time,
    ILogger<BackfillFiller> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="period"/> into the journal and answers its finished record.</summary>
    /// <param name="period">The platform and period of event times, and why it is read.</param>
    /// <param name="cancellationToken">Stops the fill between pages (the engine is stopping); the record then says how far it got.</param>
    /// <param name="coveredFromMs">The earliest failed period this fill stands for (below the period when its start was cut at the retention edge).</param>
    public async Task<FillRecord> FillAsync(FillPeriod period, long coveredFromMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var platform = platforms.Get(period.PlatformId).Options;
        var gate = _gates.GetOrAdd(platform.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var from = DateTimeOffset.FromUnixTimeMilliseconds(period.FromMs);
            var to = DateTimeOffset.FromUnixTimeMilliseconds(period.ToMs);
            var triggers = TriggerNames(period.Triggers);
            var started = Stopwatch.GetTimestamp();
            var record = await records.StartAsync(platform.Id, triggers, period.FromMs, period.ToMs, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            BackfillLog.FillStarted(logger, platform.Id, from, to, triggers);
            var (pages, seen, added, duplicate, refused, unparsable) = (0, 0, 0, 0, 0, 0);
            FillOutcome outcome;
            string? reason = null;
            try
            {
                await foreach (var page in taskRouter.ReadEventsAsync(platform.Id, from, to, cancellationToken))
                {
                    var entries = new List<JournalEntry>(page.Events.Length);
                    var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                    foreach (var json in page.Events)
                    {
                        seen++;
                        var parsed = TaskRouterEventParser.ParseEventResource(json);
                        if (!parsed.IsSuccess)
                        {
                            unparsable++;
                            var error = parsed.Errors.IsDefaultOrEmpty ? new TaskRouterFieldError("body", "no event") : parsed.Errors[0];
                            BackfillLog.Unparsable(logger, platform.Id, SidOf(json), error.Field, error.Message);
                            continue;
                        }

                        if (EventAdmission.Check(platform, parsed.Event!, eventTimes, nowMs) is { } refusal)
                        {
                            refused++;
                            BackfillLog.Refused(logger, platform.Id, parsed.Event!.Sid, refusal.Refusal.ToString(), refusal.Message);
                            continue;
                        }

                        entries.Add(new JournalEntry(platform.Id, parsed.Event!, JournalWireFormat.EventsResource, json));
                    }

                    if (entries.Count > 0)
                    {
                        var results = await journal.AppendAsync(entries);
                        var fresh = results.Count(r => r.IsNew);
                        added += fresh;
                        duplicate += results.Count - fresh;
                    }

                    pages++;
                    BackfillLog.PageRead(logger, platform.Id, page.Page, page.Events.Length);
                }

                outcome = FillOutcome.Ok;
            }
            catch (Exception e) when (e is TaskRouterRestException or JournalUnavailableException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                outcome = pages > 0 ? FillOutcome.Partial : FillOutcome.Failed;
                reason = e switch
                {
                    TaskRouterRestException rest => $"TaskRouter {rest.Failure.ToString().ToLowerInvariant()}" + (rest.Status is { } s ? $" ({s})" : "") + $": {rest.Message}",
                    JournalUnavailableException => $"journal unavailable: {e.Message}",
                    _ => "stopped: the engine was shutting down",
                };
            }

            var took = Stopwatch.GetElapsedTime(started);
            var result = new FillResult(pages, seen, added, duplicate, refused, unparsable, outcome, reason);
            // Written even while stopping: the record must say how far the fill got.
            var finished = await records.FinishAsync(record.Id, result, coveredFromMs, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
            instruments.Events(platform.Id, "new", added);
            instruments.Events(platform.Id, "duplicate", duplicate);
            instruments.Events(platform.Id, "refused", refused);
            instruments.Events(platform.Id, "unparsable", unparsable);
            instruments.Finished(platform.Id, outcome, took);
            board.Finished(finished);
            if (outcome == FillOutcome.Ok)
            {
                BackfillLog.FillFinished(logger, platform.Id, pages, seen, added, duplicate, refused, unparsable, took.TotalSeconds);
            }
            else
            {
                BackfillLog.FillFailed(logger, platform.Id, SqliteBackfillRecords.Name(outcome), pages, added, reason!);
            }

            if (added > 0)
            {
                BackfillLog.GapProven(logger, platform.Id, added, from, to);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return finished;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Records a period TaskRouter no longer holds.</summary>
    public async Task<FillRecord> UnrecoverableAsync(FillPeriod period, TimeSpan lookBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        BackfillLog.Unrecoverable(logger, period.PlatformId, DateTimeOffset.FromUnixTimeMilliseconds(period.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(period.ToMs), lookBack);
        var record = await records.UnrecoverableAsync(period.PlatformId, TriggerNames(period.Triggers), period.FromMs, period.ToMs,
            time.GetUtcNow().ToUnixTimeMilliseconds(), $"older than Lifeline:Backfill:MaxLookBack ({lookBack}); TaskRouter keeps events 30 days", cancellationToken);
        instruments.Finished(period.PlatformId, FillOutcome.Unrecoverable, TimeSpan.Zero);
        board.Finished(record);
        return record;
    }

    /// <summary>How triggers are written in a record: <c>start</c>, <c>quiet</c>, <c>retry</c>, <c>manual</c>, comma-separated.</summary>
    public static string TriggerNames(FillTriggers triggers)
    {
        var names = new List<string>(4);
        if (triggers.HasFlag(FillTriggers.Start))
        {
            names.Add("start");
        }

        if (triggers.HasFlag(FillTriggers.Quiet))
        {
            names.Add("quiet");
        }

        if (triggers.HasFlag(FillTriggers.Retry))
        {
            names.Add("retry");
        }

        if (triggers.HasFlag(FillTriggers.Manual))
        {
            names.Add("manual");
        }

        return string.Join(',', names);
    }

    /// <summary>The event Sid of a resource that does not parse, to look it up in Twilio's log; never its content.</summary>
    private static string SidOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("sid", out var sid) && sid.ValueKind == JsonValueKind.String
                && sid.GetString() is { Length: > 0 and <= 64 } text
                ? text
                : "(no sid)";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }
}
