using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>The real host over TestServer (or Kestrel), with its own journal file and the fixture platforms.</summary>
internal sealed class LifelineHostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly TimeProvider? _time;

    public LifelineHostFactory(Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        _time = time;
        DatabasePath = Path.Combine(Path.GetTempPath(), "lifeline-tests", $"host-{Guid.NewGuid():N}.db");
        _settings = TestPlatforms.Settings(DatabasePath);
        configure?.Invoke(_settings);
    }

    public string DatabasePath { get; }

    public string GrainStatePath => Path.ChangeExtension(DatabasePath, null) + "-grains.db";

    public IEventJournal Journal => Services.GetRequiredService<IEventJournal>();

    public async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync() =>
        await Journal.ReadAfterSequenceAsync(0, 10_000, TestContext.Current.CancellationToken);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");

        // The silo reads its grain state path while Program builds, before app configuration sources apply:
        // a host setting is visible then, so every host gets a grain state file of its own.
        builder.UseSetting("Lifeline:Storage:GrainStatePath", GrainStatePath);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        if (_time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(_time));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(DatabasePath + suffix);
            File.Delete(GrainStatePath + suffix);
        }
    }
}
