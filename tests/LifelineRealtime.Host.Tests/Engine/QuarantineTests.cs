using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;
using LifelineRealtime.Host.Admin;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// Poison written straight into the journal file, as a version that accepted it, or a damaged file, would
/// leave it: the dispatcher sets each record aside, every later event is dispatched, every metric equals
/// the fold of the journal without them, a restart keeps them aside, and once a damaged record is mended
/// one admin call applies it.
/// </summary>
public sealed class QuarantineTests
{
    private const string Day = "day:2026-11-24";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PoisonRecordsInTheJournal_AreSetAsideAndEverythingElseIsDispatched()
    {
        var salt = Guid.NewGuid().ToString("N")[..4];
        var tasks = LifecycleTraffic.Tasks(30, seed: 31, salt);
        var activities = LifecycleTraffic.Activities(changesPerWorker: 4, seed: 32, salt);
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var settings = TestPlatforms.Settings(databasePath);
        try
        {
            // The victim task: its second and third events become poison; the rest of its events are sent.
            var victim = tasks[0];
            var farFuture = new Dictionary<string, string>(victim[1], StringComparer.Ordinal) { ["TimestampMs"] = "100000000000000000" };
            var damaged = new Dictionary<string, string>(victim[2], StringComparer.Ordinal);
            damaged.Remove("TaskSid");
            var before2010 = new Dictionary<string, string>(activities[0], StringComparer.Ordinal) { ["TimestampMs"] = "1230768000000" };
            var healthy = tasks.Skip(1).SelectMany(t => t).Concat(victim.Skip(3)).Concat(activities.Skip(1)).ToList();
            var half = healthy.Count / 2;

            long[] poison;
            await using (var first = new LifelineHostFactory(databasePath: databasePath))
            {
                using var client = first.CreateClient();
                using var recorder = new MeasurementRecorder(first.Services.GetRequiredService<IMeterFactory>());
                await SendAsync(client, [victim[0], .. healthy.Take(half)]);
                await WaitForDispatchAsync(first);

                poison =
                [
                    await InsertAsync(databasePath, farFuture, "form", TwilioTestSigner.FormBody(farFuture)),
                    await InsertAsync(databasePath, damaged, "form", TwilioTestSigner.FormBody(damaged)),
                    await InsertAsync(databasePath, before2010, "form", TwilioTestSigner.FormBody(before2010)),
                    await InsertAsync(databasePath, EventStreamsItem(salt), "eventstreams", EventStreamsJson(salt)),
                ];

                await SendAsync(client, healthy.Skip(half));
                await WaitForDispatchAsync(first);

                var status = await client.GetFromJsonAsync<EngineStatus>("/status", Ct);
                Assert.Equal(0, status!.Lag);
                Assert.Equal(4, status.Quarantined);
                Assert.Equal(4, recorder.Sum("lifeline.dispatch.quarantined"));
                var listing = await client.GetFromJsonAsync<QuarantineListing>("/api/admin/quarantine", Ct);
                Assert.Equal(poison, listing!.Records.Select(r => r.Sequence));
                Assert.Equal(farFuture["Sid"], listing.Records[0].EventSid);
                Assert.Contains("outside the accepted window", listing.Records[0].Error, StringComparison.Ordinal);
                Assert.Contains("no longer parses", listing.Records[1].Error, StringComparison.Ordinal);
                Assert.Contains("before 2010-01-01", listing.Records[2].Error, StringComparison.Ordinal);

                var records = await JournalFile.ReadAllAsync(databasePath, Ct);
                Assert.Equal(1 + healthy.Count + 4, records.Count);
                Assert.True(await FoldComparison.AssertDigiMetricsEqualFoldAsync(client, settings, records.Where(r => !poison.Contains(r.Sequence)), Day, Ct) > 10);
            }

            // A restart keeps them aside and dispatch does not stop at them.
            await using (var second = new LifelineHostFactory(databasePath: databasePath))
            {
                using var client = second.CreateClient();
                await WaitForDispatchAsync(second);
                var status = await client.GetFromJsonAsync<EngineStatus>("/status", Ct);
                Assert.Equal(4, status!.Quarantined);

                // Re-applying changes nothing while the records are still what they were.
                using (var response = await client.PostAsync(new Uri("/api/admin/quarantine/reapply", UriKind.Relative), null, Ct))
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var outcome = await response.Content.ReadFromJsonAsync<QuarantineReapplyOutcome>(Ct);
                    Assert.Equal(0, outcome!.Applied);
                    Assert.Equal(poison, outcome.Remaining.Select(r => r.Sequence));
                }

                // The damaged record is mended in the file; one call applies it, late and out of order.
                await MendAsync(databasePath, poison[1], TwilioTestSigner.FormBody(victim[2]));
                using (var response = await client.PostAsync(new Uri("/api/admin/quarantine/reapply", UriKind.Relative), null, Ct))
                {
                    var outcome = await response.Content.ReadFromJsonAsync<QuarantineReapplyOutcome>(Ct);
                    Assert.Equal(1, outcome!.Applied);
                    Assert.Equal([poison[0], poison[2], poison[3]], outcome.Remaining.Select(r => r.Sequence));
                }

                status = await client.GetFromJsonAsync<EngineStatus>("/status", Ct);
                Assert.Equal(3, status!.Quarantined);
                var records = await JournalFile.ReadAllAsync(databasePath, Ct);
                var stillAside = new[] { poison[0], poison[2], poison[3] };
                await FoldComparison.AssertDigiMetricsEqualFoldAsync(client, settings, records.Where(r => !stillAside.Contains(r.Sequence)), Day, Ct);
            }

            // The mended record's changes were written before it left the quarantine: a restart keeps them.
            await using (var third = new LifelineHostFactory(databasePath: databasePath))
            {
                using var client = third.CreateClient();
                await WaitForDispatchAsync(third);
                var records = await JournalFile.ReadAllAsync(databasePath, Ct);
                var stillAside = new[] { poison[0], poison[2], poison[3] };
                await FoldComparison.AssertDigiMetricsEqualFoldAsync(client, settings, records.Where(r => !stillAside.Contains(r.Sequence)), Day, Ct);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    private static async Task SendAsync(HttpClient client, IEnumerable<Dictionary<string, string>> events)
    {
        foreach (var fields in events)
        {
            using var request = WebhookRequests.SignedForm(fields);
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    private static async Task WaitForDispatchAsync(LifelineHostFactory factory)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, timeout.Token);
    }

    /// <summary>Writes a row as the journal would have, bypassing every check of today's ingest.</summary>
    private static async Task<long> InsertAsync(string databasePath, Dictionary<string, string> fields, string format, string payload)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO events (platform, event_sid, event_type, event_time_ms, task_sid, worker_sid, format, payload, arrived_ms)
            VALUES ('digi', $sid, $type, $time, $task, $worker, $format, $payload, $arrived)
            RETURNING seq;
            """;
        command.Parameters.AddWithValue("$sid", fields["Sid"]);
        command.Parameters.AddWithValue("$type", fields["EventType"]);
        command.Parameters.AddWithValue("$time", long.Parse(fields["TimestampMs"], CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$task", (object?)fields.GetValueOrDefault("TaskSid") ?? DBNull.Value);
        command.Parameters.AddWithValue("$worker", (object?)fields.GetValueOrDefault("WorkerSid") ?? DBNull.Value);
        command.Parameters.AddWithValue("$format", format);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$arrived", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task MendAsync(string databasePath, long sequence, string payload)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE events SET payload = $payload WHERE seq = $seq;";
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$seq", sequence);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    private static Dictionary<string, string> EventStreamsItem(string salt) => new(StringComparer.Ordinal)
    {
        ["Sid"] = "EV" + salt + "ffffffffffffffffffffffffffff",
        ["EventType"] = "task.created",
        ["TimestampMs"] = "253402300799000",
        ["TaskSid"] = "WT" + salt + "ffffffffffffffffffffffffffff",
    };

    /// <summary>An Event Streams CloudEvent of a task created at 9999-12-31T23:59:59Z.</summary>
    private static string EventStreamsJson(string salt)
    {
        var item = EventStreamsItem(salt);
        return JsonSerializer.Serialize(new
        {
            specversion = "1.0",
            type = "com.twilio.taskrouter.task.created",
            source = "/v1/Workspaces/" + TestPlatforms.DigiWorkspace,
            id = item["Sid"],
            data = new
            {
                payload = new Dictionary<string, object>
                {
                    ["sid"] = item["Sid"],
                    ["eventtype"] = "task.created",
                    ["account_sid"] = TestPlatforms.DigiAccount,
                    ["workspace_sid"] = TestPlatforms.DigiWorkspace,
                    ["timestamp"] = "9999-12-31T23:59:59Z",
                    ["task_sid"] = item["TaskSid"],
                    ["task_attributes"] = "{\"supportType\":\"imminent\"}",
                },
            },
        });
    }
}
