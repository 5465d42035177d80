using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Storage.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Grains.Tests;

/// <summary>
/// One single-silo cluster with the whole pipeline behind the webhooks: a real SQLite journal, the
/// dispatcher and the grains with SQLite state, on a fake clock set just after the fixture story.
/// </summary>
public class PipelineClusterFixture : IAsyncLifetime
{
    /// <summary>2026-11-24 10:30:00 AEDT, after the fixture story's tasks complete.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_476_600_000);

    private readonly string _folder = Path.Combine(TestData.Root, $"pipeline-{Guid.NewGuid():N}");

    public TestCluster Cluster { get; private set; } = null!;

    public IServiceProvider Silo => Cluster.GetSiloServiceProvider();

    public IEventJournal Journal => Silo.GetRequiredService<IEventJournal>();

    public JournalDispatcher Dispatcher => Silo.GetRequiredService<JournalDispatcher>();

    public PlatformCatalog Platforms => Silo.GetRequiredService<PlatformCatalog>();

    /// <summary>False for a dispatcher that lets every event time through to the grains, so what happens when
    /// a record fails inside them can be seen.</summary>
    protected virtual bool ScreensEventTimes => true;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var builder = new TestClusterBuilder(1);
        builder.Properties["Folder"] = _folder;
        builder.Properties["ScreenEventTimes"] = ScreensEventTimes ? "true" : "false";
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Journals the events and waits until the dispatcher has delivered them.</summary>
    public async Task IngestAsync(IReadOnlyList<JournalEntry> entries)
    {
        var results = await Journal.AppendAsync(entries);
        var last = results.Max(r => r.Sequence);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Dispatcher.WaitForDispatchAsync(last, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public static PlatformOptions Platform(string id, params string[] supportTypes) => new()
    {
        Id = id,
        Name = id,
        Channel = id == "ciss" ? "voice" : "chat",
        TimeZone = "Australia/Sydney",
        SupportTypes = [.. supportTypes],
        SupportTypeRules =
        [
            new SupportTypeRuleOptions { Attribute = "supportType" },
            new SupportTypeRuleOptions { QueueNamePattern = "(?i)(check_in|check_out|debrief|imminent|safety|technical_support|support)" },
        ],
        ServiceLevelSeconds = new() { ["imminent"] = 20, ["safety"] = 30, ["default"] = 60 },
        UrgentWaitAlertSeconds = new() { ["imminent"] = 30, ["safety"] = 60 },
    };

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Services.AddLifelineSerialization();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var folder = siloBuilder.Configuration["Folder"]!;
            siloBuilder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            siloBuilder.Services.AddSingleton(new PlatformCatalog(
            [
                Platform("ciss", "check_in", "check_out", "debrief", "imminent", "safety", "support"),
                Platform("digi", "check_in", "check_out", "debrief", "imminent", "safety", "support", "technical_support"),
            ]));
            siloBuilder.Services.AddSingleton<JournalInstruments>();
            if (siloBuilder.Configuration["ScreenEventTimes"] == "false")
            {
                // Any time from 1970 to thousands of years ahead passes the dispatcher's screen.
                siloBuilder.Services.AddSingleton(new EventTimeWindow(0, TimeSpan.FromDays(3_000_000)));
            }

            siloBuilder.Services.AddSingleton<IEventJournal>(sp => new SqliteEventJournal(
                new SqliteJournalOptions { Path = Path.Combine(folder, "journal.db") },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<JournalInstruments>(),
                sp.GetRequiredService<ILogger<SqliteEventJournal>>()));
            // The clock is fake, so its delays are zero: a checkpoint follows as soon as the journal is drained, and
            // a failed round is tried again at once (nothing has to move the clock for dispatch to go on).
            siloBuilder.AddLifelineGrains(Path.Combine(folder, "grains.db"), dispatch =>
            {
                dispatch.IdleCheckpointDelay = TimeSpan.Zero;
                dispatch.RetryDelay = TimeSpan.Zero;
            });
        }
    }
}
