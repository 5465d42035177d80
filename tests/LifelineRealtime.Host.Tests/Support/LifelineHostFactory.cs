using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using LifelineRealtime.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>The real host over TestServer (or Kestrel), with its own journal file and the fixture platforms.</summary>
internal sealed class LifelineHostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsFiles;
    private readonly string _environment;

    /// <param name="configure">Changes to the configuration.</param>
    /// <param name="services">Replacements registered after the host's own, e.g. a <c>FakeTimeProvider</c> for host and silo.</param>
    /// <param name="databasePath">A journal file the caller owns and deletes (a restart on the same files); by
    /// default a fresh one this factory deletes when disposed.</param>
    /// <param name="environment">The host environment (Development turns on the local sign-in link when nothing else is configured).</param>
    public LifelineHostFactory(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null, string? databasePath = null, string environment = "Production")
    {
        _environment = environment;
        _services = services;
        _ownsFiles = databasePath is null;
        DatabasePath = databasePath ?? NewDatabasePath();
        _settings = TestPlatforms.Settings(DatabasePath);

        // Many hosts here run on a fake clock, where an idle delay would only pass when a test advances the
        // clock, and then compete with the work the test is timing: checkpoint as soon as the journal drains.
        _settings["Lifeline:Dispatch:IdleCheckpointDelay"] = "00:00:00";
        configure?.Invoke(_settings);
    }

    public string DatabasePath { get; }

    /// <summary>A fresh journal path under the tests' data folder (<see cref="TestData.Root"/>).</summary>
    public static string NewDatabasePath() => Path.Combine(TestData.Root, $"host-{Guid.NewGuid():N}.db");

    /// <summary>Deletes a journal file and the grain-state and simulator files beside it.</summary>
    public static void DeleteFiles(string databasePath)
    {
        var grainState = Path.ChangeExtension(databasePath, null) + "-grains.db";
        File.Delete(Path.ChangeExtension(databasePath, null) + "-simulator.json");
        foreach (var suffix in (string[])["", "-wal", "-shm", ".lock"])
        {
            File.Delete(databasePath + suffix);
            File.Delete(grainState + suffix);
        }
    }

    public IEventJournal Journal => Services.GetRequiredService<IEventJournal>();

    public async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync() =>
        await Journal.ReadAfterSequenceAsync(0, 10_000, TestContext.Current.CancellationToken);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);

        // Host settings are seen by the checks Program makes before it builds the host (a busy port, a journal in
        // use): without them those checks would read the defaults and refuse while a demo engine runs on this machine.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }

        // A fake clock moves in jumps, and Orleans times a call's answer on the host's clock: a jump would time out every
        // grain call in flight at that instant (and the dispatcher's retry then waits on a clock that no longer moves).
        // On a fake clock no answer is late.
        builder.ConfigureServices(services => services.AddOptions<SiloMessagingOptions>().PostConfigure<TimeProvider>((messaging, time) =>
        {
            if (time is FakeTimeProvider)
            {
                messaging.ResponseTimeout = TimeSpan.FromDays(365);
            }
        }));
    }

    /// <summary>Clients sign in as an admin unless a test sets another <c>Authorization</c> (or removes it).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestTokens.Authorize(client);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsFiles)
        {
            DeleteFiles(DatabasePath);
        }
    }
}
