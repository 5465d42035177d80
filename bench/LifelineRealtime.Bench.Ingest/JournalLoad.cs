using System.Diagnostics;
using System.Globalization;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Bench.Ingest;

/// <summary>Appends pre-parsed events straight to the journal (no HTTP, no signature): the storage share of ingest.</summary>
internal static class JournalLoad
{
    private const string TemplateSid = "EV000000000000000000000000e0000008";

    public static async Task<LoadResult> RunAsync(IEventJournal journal, string formTemplate, int firstId, int count, int callers)
    {
        var entries = new JournalEntry[count];
        for (var i = 0; i < count; i++)
        {
            var body = formTemplate.Replace(TemplateSid, "EV" + (firstId + i).ToString("x32", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            entries[i] = new JournalEntry("digi", TaskRouterEventParser.ParseFormBody(body).Event!, JournalWireFormat.Form, body);
        }

        var latencies = new long[count];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var sent = Stopwatch.GetTimestamp();
                await journal.AppendAsync([entries[i]]);
                latencies[i] = Stopwatch.GetTimestamp() - sent;
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Array.Sort(latencies);
        return new LoadResult(count, elapsed, latencies[count / 2] * 1000.0 / Stopwatch.Frequency, latencies[Math.Min(count - 1, (int)(count * 0.99))] * 1000.0 / Stopwatch.Frequency, 0);
    }
}
