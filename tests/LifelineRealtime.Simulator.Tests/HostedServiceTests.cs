using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using LifelineRealtime.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twilio.Security;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Simulator.Tests;

/// <summary>The embedded simulator posting to a real Kestrel server that verifies with Twilio's library.</summary>
public sealed class HostedServiceTests
{
    private sealed record Received(string PlatformId, string Form, bool SignatureValid);

    /// <summary>
    /// One run against a fresh server. With <paramref name="statePath"/> the run starts "now" and keeps its
    /// position there (as the embedded demo does); without, it starts at the shared simulated day's start.
    /// </summary>
    private static async Task<(List<Received> Received, long SentMetric, int Attempts)> RunAsync(
        int maxEvents, int failFirstRequests, string? replayFile = null, bool enabled = true, string? statePath = null, double speed = 1_000_000)
    {
        var options = SimulatedDays.Options(seed: 11);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Lifeline:Simulator:Enabled"] = enabled ? "true" : "false",
            ["Lifeline:Simulator:Seed"] = "11",
            ["Lifeline:Simulator:Speed"] = speed.ToString(CultureInfo.InvariantCulture),
            ["Lifeline:Simulator:Start"] = statePath is null ? SimulatedDays.Start.ToString("O", CultureInfo.InvariantCulture) : null,
            ["Lifeline:Simulator:StatePath"] = statePath,
            ["Lifeline:Simulator:MaxEvents"] = maxEvents.ToString(CultureInfo.InvariantCulture),
            ["Lifeline:Simulator:ReplayFile"] = replayFile,
            ["Lifeline:Simulator:Workers"] = options.Workers.ToString(CultureInfo.InvariantCulture),
            ["Lifeline:Simulator:Teams"] = options.Teams.ToString(CultureInfo.InvariantCulture),
            ["Lifeline:Simulator:PeakArrivalsPerHour"] = options.PeakArrivalsPerHour.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < options.Platforms.Count; i++)
        {
            var p = options.Platforms[i];
            settings[$"Lifeline:Platforms:{i}:Id"] = p.Id;
            settings[$"Lifeline:Platforms:{i}:Name"] = p.Name;
            settings[$"Lifeline:Platforms:{i}:Channel"] = p.Channel;
            settings[$"Lifeline:Platforms:{i}:AccountSid"] = p.AccountSid;
            settings[$"Lifeline:Platforms:{i}:WorkspaceSid"] = p.WorkspaceSid;
            settings[$"Lifeline:Platforms:{i}:AuthToken"] = p.AuthToken;
            settings[$"Lifeline:Platforms:{i}:TimeZone"] = p.TimeZone;
            for (var t = 0; t < p.SupportTypes.Count; t++)
            {
                settings[$"Lifeline:Platforms:{i}:SupportTypes:{t}"] = p.SupportTypes[t];
            }
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLifelineSimulator([]);
        await using var app = builder.Build();
        var received = new ConcurrentQueue<Received>();
        var attempts = 0;
        var tokens = options.Platforms.ToDictionary(p => p.Id, p => p.AuthToken);
        app.MapPost("/webhooks/taskrouter/{platformId}", async (string platformId, HttpRequest request) =>
        {
            if (Interlocked.Increment(ref attempts) <= failFirstRequests)
            {
                return Results.StatusCode(503);
            }

            var form = await request.ReadFormAsync();
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            var url = $"{request.Scheme}://{request.Host}{request.Path}";
            var valid = new RequestValidator(tokens[platformId]).Validate(url, fields, request.Headers["X-Twilio-Signature"].ToString());
            received.Enqueue(new Received(platformId, FormBody.Encode(form.Select(f => KeyValuePair.Create(f.Key, f.Value.ToString()))), valid));
            return Results.NoContent();
        });

        long sent = 0;
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "lifeline.simulator.events_sent" && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref sent, value));
        listener.Start();

        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<SimulatorHostedService>().Completion.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
        return ([.. received], Interlocked.Read(ref sent), attempts);
    }

    [Fact]
    public async Task HostedService_HighSpeed_PostsEveryEventSignedAndInOrder()
    {
        var expected = new TrafficSimulation(SimulatedDays.Options(seed: 11), SimulatedDays.Start).Events().Take(150).ToList();

        var (received, sent, _) = await RunAsync(maxEvents: 150, failFirstRequests: 0);

        Assert.Equal(150, received.Count);
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.Equal(expected.Select(e => (e.PlatformId, e.Form)), received.Select(r => (r.PlatformId, r.Form)));
        Assert.Equal(150, sent);
        Assert.Empty(LifecycleChecker.Check(expected.Select((e, i) => e with { Form = received[i].Form }), requireFinished: false));
    }

    [Fact]
    public async Task HostedService_ServerFailsAtFirst_RetriesAndLosesNothing()
    {
        var (received, sent, attempts) = await RunAsync(maxEvents: 20, failFirstRequests: 2);

        Assert.Equal(20, received.Count);
        Assert.Equal(22, attempts);
        Assert.Equal(20, sent);
        Assert.All(received, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task HostedService_ReplayFile_PostsTheRecordedEventsInOrder()
    {
        var recorded = new TrafficSimulation(SimulatedDays.Options(seed: 5), SimulatedDays.Start).Events().Take(40).ToList();
        var path = Path.Combine(TestData.Root, $"replay-{Guid.NewGuid():N}.ndjson");
        try
        {
            await SimulationFile.WriteAsync(path, recorded, TestContext.Current.CancellationToken);

            var (received, sent, _) = await RunAsync(maxEvents: 0, failFirstRequests: 0, replayFile: path);

            Assert.Equal(recorded.Select(e => (e.PlatformId, e.Form)), received.Select(r => (r.PlatformId, r.Form)));
            Assert.All(received, r => Assert.True(r.SignatureValid));
            Assert.Equal(40, sent);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task HostedService_Disabled_PostsNothing()
    {
        var (received, sent, attempts) = await RunAsync(maxEvents: 10, failFirstRequests: 0, enabled: false);

        Assert.Empty(received);
        Assert.Equal((0L, 0), (sent, attempts));
    }

    [Fact]
    public async Task HostedService_Restarted_ContinuesItsRunWhereItStopped()
    {
        var statePath = Path.Combine(TestData.Root, $"simulator-{Guid.NewGuid():N}.json");
        try
        {
            // A thousand simulated seconds a second: the day's run lasts 86 s, far longer than the test.
            var (first, _, _) = await RunAsync(maxEvents: 150, failFirstRequests: 0, statePath: statePath, speed: 1000);
            var saved = SimulatorRun.Load(statePath);
            Assert.NotNull(saved);
            var (second, _, _) = await RunAsync(maxEvents: 100, failFirstRequests: 0, statePath: statePath, speed: 1000);

            // The same run (its start and seed give the same events): the second start sends what follows the first
            // one's last event; events at that very instant may go twice, which the journal drops as duplicates.
            var events = new TrafficSimulation(SimulatedDays.Options(seed: 11), saved.Start).Events().Take(400).ToList();
            var expected = events.Select(e => (e.PlatformId, e.Form)).ToList();
            Assert.Equal(expected.Take(150), first.Select(r => (r.PlatformId, r.Form)));
            var resumedAt = expected.IndexOf((second[0].PlatformId, second[0].Form));
            Assert.InRange(resumedAt, events.FindIndex(e => e.TimestampMs == events[149].TimestampMs), 150);
            Assert.Equal(expected.Skip(resumedAt).Take(100), second.Select(r => (r.PlatformId, r.Form)));
            Assert.All(second, r => Assert.True(r.SignatureValid));
            Assert.Equal(saved.Start, SimulatorRun.Load(statePath)!.Start);
        }
        finally
        {
            File.Delete(statePath);
        }
    }

    [Fact]
    public async Task HostedService_StateOfOtherSettings_BeginsANewRun()
    {
        var statePath = Path.Combine(TestData.Root, $"simulator-{Guid.NewGuid():N}.json");
        try
        {
            new SimulatorRun("settings of another demo", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(-5), 0).Save(statePath);

            var (received, _, _) = await RunAsync(maxEvents: 10, failFirstRequests: 0, statePath: statePath, speed: 1000);

            var run = SimulatorRun.Load(statePath)!;
            var options = SimulatedDays.Options(seed: 11);
            options.Speed = 1000;
            Assert.Equal(SimulatorRun.FingerprintOf(options), run.Fingerprint);
            Assert.True(run.RealStart > DateTimeOffset.UtcNow.AddMinutes(-1), $"a new run is paced from now, not from {run.RealStart:O}");
            Assert.Equal(options.Duration, run.RealStart - run.Start);
            Assert.Equal(
                new TrafficSimulation(SimulatedDays.Options(seed: 11), run.Start).Events().Take(10).Select(e => e.Form),
                received.Select(r => r.Form));
        }
        finally
        {
            File.Delete(statePath);
        }
    }
}
