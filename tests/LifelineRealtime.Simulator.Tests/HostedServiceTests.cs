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

    private static async Task<(List<Received> Received, long SentMetric, int Attempts)> RunAsync(int maxEvents, int failFirstRequests, string? replayFile = null, bool enabled = true)
    {
        var options = SimulatedDays.Options(seed: 11);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Lifeline:Simulator:Enabled"] = enabled ? "true" : "false",
            ["Lifeline:Simulator:Seed"] = "11",
            ["Lifeline:Simulator:Speed"] = "1000000",
            ["Lifeline:Simulator:Start"] = SimulatedDays.Start.ToString("O", CultureInfo.InvariantCulture),
            ["Lifeline:Simulator:MaxEvents"] = maxEvents.ToString(CultureInfo.InvariantCulture),
            ["Lifeline:Simulator:ReplayFile"] = replayFile,
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
}
