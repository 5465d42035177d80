using System.Diagnostics.Metrics;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Journal;
using LifelineRealtime.Host.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LifelineRealtime.Bench.Ingest;

/// <summary>
/// The real ingest host (the same registrations as Program.cs) on loopback Kestrel with a temporary journal,
/// plus one extra route that only drains the body and answers 204: the baseline.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string DigiToken = "fake_auth_token_digi_0123456789ab";
    public const string PublicBaseUrl = "https://lifeline.example.org";

    private readonly WebApplication _app;
    private readonly MeterListener _listener = new();
    private long _commits;
    private long _batchTotal;
    private double _commitSeconds;

    private BenchHost(WebApplication app)
    {
        _app = app;
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("lifeline.journal.commit", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "lifeline.journal.commit.batch_size")
            {
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _batchTotal, value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _commitSeconds += value);
        _listener.Start();
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IEventJournal Journal => _app.Services.GetRequiredService<IEventJournal>();

    public long Commits => Interlocked.Read(ref _commits);

    public double MeanBatch => Commits == 0 ? 0 : (double)Interlocked.Read(ref _batchTotal) / Commits;

    public double MeanCommitMs => Commits == 0 ? 0 : _commitSeconds * 1000 / Commits;

    public static async Task<BenchHost> StartAsync(string databasePath, string durability)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lifeline:Ingest:PublicBaseUrl"] = PublicBaseUrl,
            ["Lifeline:Ingest:MaxBodyBytes"] = "1048576",
            ["Lifeline:Storage:Path"] = databasePath,
            ["Lifeline:Storage:Durability"] = durability,
            ["Lifeline:Platforms:0:Id"] = "digi",
            ["Lifeline:Platforms:0:AccountSid"] = "AC0000000000000000000000000000d161",
            ["Lifeline:Platforms:0:WorkspaceSid"] = "WS0000000000000000000000000000d161",
            ["Lifeline:Platforms:0:AuthToken"] = DigiToken,
            ["Lifeline:Platforms:0:TimeZone"] = "Australia/Sydney",
            ["Lifeline:Platforms:0:SupportTypes:0"] = "imminent",
            ["Lifeline:Platforms:0:SupportTypeRules:0:Attribute"] = "supportType",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:default"] = "60",
        });

        builder.AddLifelineOptions();
        builder.AddEventJournal();
        builder.AddTaskRouterIngest();
        var app = builder.Build();
        app.UseTrustedForwardedHeaders();
        app.MapTaskRouterWebhooks();
        app.MapPost("/baseline/{platformId}", async (HttpContext context) =>
        {
            // Read the body as ingest must, so the baseline differs only by verify, parse and journal.
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            return TypedResults.NoContent();
        });

        var host = new BenchHost(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
