using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Bench.Hub;

/// <summary>The baseline: the same clients and groups on a bare hub that broadcasts a timestamp to each group once a second.</summary>
internal static class BareHubRun
{
    public static async Task<RunResult> RunAsync(int clients, int scopes, TimeSpan duration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR();
        await using var app = builder.Build();
        app.MapHub<BareHub>("/bare");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var latency = new LatencyHistogram();
        long messages = 0;
        var connections = await Connect(clients, i =>
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(address + "/bare", o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                .Build();
            connection.On<long>("Tick", stamp =>
            {
                latency.Record(Stopwatch.GetElapsedTime(stamp).TotalMilliseconds);
                Interlocked.Increment(ref messages);
            });
            return (connection, () => connection.InvokeAsync("Join", "g" + (i % scopes)));
        });

        var hub = app.Services.GetRequiredService<IHubContext<BareHub>>();
        var started = Stopwatch.GetTimestamp();
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            while (Stopwatch.GetElapsedTime(started) < duration && await timer.WaitForNextTickAsync())
            {
                for (var g = 0; g < scopes; g++)
                {
                    await hub.Clients.Group("g" + g).SendAsync("Tick", Stopwatch.GetTimestamp());
                }
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        await app.StopAsync();
        return new RunResult(latency, Interlocked.Read(ref messages), elapsed, []);
    }

    /// <summary>Starts connections 50 at a time (a burst of 1,000 handshakes would only measure the accept queue).</summary>
    public static async Task<List<HubConnection>> Connect(int clients, Func<int, (HubConnection Connection, Func<Task> Subscribe)> create)
    {
        var connections = new List<HubConnection>();
        for (var start = 0; start < clients; start += 50)
        {
            var batch = Enumerable.Range(start, Math.Min(50, clients - start)).Select(create).ToList();
            await Task.WhenAll(batch.Select(async b =>
            {
                await b.Connection.StartAsync();
                await b.Subscribe();
            }));
            connections.AddRange(batch.Select(b => b.Connection));
        }

        return connections;
    }

    private sealed class BareHub : Microsoft.AspNetCore.SignalR.Hub
    {
        public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);
    }
}
