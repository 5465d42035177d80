using System.Collections.Concurrent;
using System.Net;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>
/// Design §6.1, acknowledged means durable: SIGKILL the real host while clients are posting, restart it on
/// the same file, and every event that got a 204 must be in the journal exactly once.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Clients = 6;
    private const int AcknowledgedBeforeKill = 300;
    private const int Rounds = 3;

    // Both settings must keep every acknowledged event across a process kill (they differ on power loss).
    [Theory]
    [InlineData("Full")]
    [InlineData("Normal")]
    public async Task Host_KilledWhileRequestsInFlight_KeepsEveryAcknowledgedEvent(string durability)
    {
        var ct = TestContext.Current.CancellationToken;
        var databasePath = Path.Combine(TestData.Root, $"crash-{Guid.NewGuid():N}.db");
        var settings = TestPlatforms.Settings(databasePath);
        settings["Lifeline:Storage:Durability"] = durability;
        var arguments = TestPlatforms.Arguments(settings).ToList();
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var next = 0;
        var sent = 0;
        try
        {
            // Several kill-and-restart rounds: the window between an early answer and its commit would be
            // short, so more rounds make a lost acknowledgement more likely to show.
            for (var round = 1; round <= Rounds; round++)
            {
                var target = round * AcknowledgedBeforeKill;
                var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var host = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), ct);
                using var http = host.CreateClient(TimeSpan.FromSeconds(30));
                using var stop = new CancellationTokenSource();
                var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var fields = WebhookRequests.DigiTaskFields(Interlocked.Increment(ref next));
                        using var request = WebhookRequests.SignedForm(fields);
                        try
                        {
                            Interlocked.Increment(ref sent);
                            using var response = await http.SendAsync(request, stop.Token);
                            if (response.StatusCode != HttpStatusCode.NoContent)
                            {
                                throw new InvalidOperationException($"unexpected {(int)response.StatusCode}");
                            }

                            acknowledged[fields["Sid"]] = true;
                            if (acknowledged.Count >= target)
                            {
                                enoughAcknowledged.TrySetResult();
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                        {
                            return;
                        }
                    }
                }, ct)).ToList();

                await enoughAcknowledged.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
                host.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }

            Assert.True(acknowledged.Count >= Rounds * AcknowledgedBeforeKill);
            Assert.True(sent > acknowledged.Count, "some requests were still in flight at the kill");

            // Restart on the same file: it must open (WAL recovery) and still know every acknowledged Sid.
            using (var restarted = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), ct))
            {
                using var http = restarted.CreateClient();
                var again = WebhookRequests.DigiTaskFields(int.Parse(acknowledged.Keys.First()[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
                using var request = WebhookRequests.SignedForm(again);
                using var response = await http.SendAsync(request, ct);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                restarted.Kill();
            }

            var records = await JournalFile.ReadAllAsync(databasePath, ct);
            var journaled = records.Select(r => r.EventSid).ToList();
            Assert.Equal(journaled.Count, journaled.Distinct(StringComparer.Ordinal).Count());
            var missing = acknowledged.Keys.Except(journaled, StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events lost, e.g. {missing.FirstOrDefault()}");
            Assert.Equal(records.Select(r => r.Sequence).Order(), records.Select(r => r.Sequence));
        }
        finally
        {
            // The journal, its WAL and shared memory, and the grain state file beside it.
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }
}
