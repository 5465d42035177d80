using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// Design §6.1 for the numbers: SIGKILL the real host while events stream in and the dispatcher is
/// delivering and checkpointing, restart it, finish the stream, and every metric the API serves equals
/// the offline fold of the journal.
/// </summary>
public sealed class MetricsCrashRecoveryTests
{
    private const string Day = "day:2026-11-24";

    [Fact]
    public async Task Host_KilledMidStream_RestartedMetricsEqualTheFoldOfTheJournal()
    {
        var ct = TestContext.Current.CancellationToken;
        var salt = Guid.NewGuid().ToString("N")[..4];
        var databasePath = Path.Combine(TestData.Root, $"metrics-crash-{Guid.NewGuid():N}.db");
        var settings = TestPlatforms.Settings(databasePath);
        settings["Lifeline:Dispatch:FlushInterval"] = "00:00:00.200";
        var arguments = TestPlatforms.Arguments(settings).ToList();
        var tasks = LifecycleTraffic.Tasks(240, seed: 11, salt);
        var activities = LifecycleTraffic.Activities(changesPerWorker: 8, seed: 12, salt);
        var work = new ConcurrentQueue<List<Dictionary<string, string>>>(tasks.Concat(activities.Chunk(4).Select(c => c.ToList())));
        var acknowledged = 0;
        try
        {
            // First life: stream until a good share is acknowledged, then kill it mid-stream.
            using (var host = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), ct))
            {
                using var http = host.CreateClient(TimeSpan.FromSeconds(30));
                using var stop = new CancellationTokenSource();
                var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested && work.TryDequeue(out var events))
                    {
                        for (var i = 0; i < events.Count; i++)
                        {
                            try
                            {
                                using var request = WebhookRequests.SignedForm(events[i]);
                                using var response = await http.SendAsync(request, stop.Token);
                                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                                if (Interlocked.Increment(ref acknowledged) >= 700)
                                {
                                    enough.TrySetResult();
                                }
                            }
                            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                            {
                                // Killed mid-task: the rest of this task goes out after the restart.
                                work.Enqueue(events.Skip(i).ToList());
                                return;
                            }
                        }
                    }
                }, ct)).ToList();

                await enough.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
                host.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }

            // Second life: the rest of the stream, then wait until every committed event is dispatched.
            using var restarted = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), ct);
            using var client = restarted.CreateClient(TimeSpan.FromSeconds(90));
            while (work.TryDequeue(out var events))
            {
                foreach (var fields in events)
                {
                    using var request = WebhookRequests.SignedForm(fields);
                    using var response = await client.SendAsync(request, ct);
                    Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                }
            }

            await WaitUntilCaughtUpAsync(client, ct);

            // The reference: the offline fold of everything the journal holds.
            var records = await JournalFile.ReadAllAsync(databasePath, ct);
            var scopes = await FoldComparison.AssertDigiMetricsEqualFoldAsync(client, settings, records, Day, ct);
            Assert.True(scopes > 10, $"only {scopes} scopes");

            restarted.Kill();
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Asks the other process's <c>/status?wait=60</c>, which answers once every committed event is dispatched.</summary>
    private static async Task WaitUntilCaughtUpAsync(HttpClient client, CancellationToken ct)
    {
        var status = JsonNode.Parse(await client.GetStringAsync(new Uri("/status?wait=60", UriKind.Relative), ct))!;
        Assert.True((long)status["lag"]! == 0 && (long)status["dispatchedSequence"]! == (long)status["journalSequence"]!, $"dispatch did not catch up: {status}");
    }
}
