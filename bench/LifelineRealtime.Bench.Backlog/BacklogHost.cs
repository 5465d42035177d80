using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Bench.Backlog;

/// <summary>
/// The real host (Program: ingest, journal, silo, API, hub) on loopback Kestrel in embedded mode with the
/// simulator off, one platform (the fixtures' DIGI workspace) and its files in a private folder.
/// </summary>
internal sealed class BacklogHost(string folder) : WebApplicationFactory<Program>
{
    public const string Account = "AC0000000000000000000000000000d161";
    public const string Workspace = "WS0000000000000000000000000000d161";
    public const string AuthToken = "bench_only_auth_token_0123456789ab";
    public const string PublicBaseUrl = "https://lifeline.example.org";
    public static readonly string[] SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support", "technical_support"];

    public Uri Address { get; private set; } = null!;

    public IEventJournal Journal => Services.GetRequiredService<IEventJournal>();

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Waits until every journaled event reached the grains and the checkpoint (after which finished task grains deactivate).</summary>
    public async Task DrainAsync()
    {
        var high = Journal.HighWaterSequence;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(high, timeout.Token);
        var checkpoint = Services.GetRequiredService<IGrainFactory>().GetGrain<IDispatchCheckpointGrain>(JournalDispatcher.CheckpointKey);
        while (await checkpoint.GetAsync() < high)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
        builder.UseSetting("Lifeline:Storage:GrainStatePath", Path.Combine(folder, "grains.db"));
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Lifeline:Simulator:Enabled"] = "false",
            ["Lifeline:Ingest:PublicBaseUrl"] = PublicBaseUrl,
            ["Lifeline:Storage:Provider"] = "Sqlite",
            ["Lifeline:Storage:Path"] = Path.Combine(folder, "journal.db"),
            // Sign-in is checked once per connection, not per push: the bench measures the pushes.
            ["Lifeline:Auth:Mode"] = "Open",
            ["Lifeline:Platforms:0:Id"] = "digi",
            ["Lifeline:Platforms:0:Name"] = "DIGI Central",
            ["Lifeline:Platforms:0:Channel"] = "chat",
            ["Lifeline:Platforms:0:AccountSid"] = Account,
            ["Lifeline:Platforms:0:WorkspaceSid"] = Workspace,
            ["Lifeline:Platforms:0:AuthToken"] = AuthToken,
            ["Lifeline:Platforms:0:TimeZone"] = "Australia/Sydney",
            ["Lifeline:Platforms:0:SupportTypeRules:0:Attribute"] = "supportType",
            ["Lifeline:Platforms:0:ServiceLevelSeconds:default"] = "60",
            ["Lifeline:Platforms:0:UrgentWaitAlertSeconds:imminent"] = "30",
            ["Lifeline:Platforms:0:UrgentWaitAlertSeconds:safety"] = "60",
        };
        for (var i = 0; i < SupportTypes.Length; i++)
        {
            settings[$"Lifeline:Platforms:0:SupportTypes:{i}"] = SupportTypes[i];
        }

        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }
}
