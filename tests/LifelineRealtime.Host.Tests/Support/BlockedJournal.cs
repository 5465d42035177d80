using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>
/// A host whose journal cannot be opened until the test says so: the journal's folder path is taken by a file (root
/// is not stopped by file modes, but by this it is). The journal retries after 200 ms, at most 1 s apart, so the test
/// does not wait out seconds of backoff once it <see cref="Unblock"/>s it.
/// </summary>
internal sealed class BlockedJournal : IAsyncDisposable
{
    private readonly string _blocker;

    private BlockedJournal(string root, Action<Dictionary<string, string?>>? configure)
    {
        Root = root;
        _blocker = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        File.WriteAllText(_blocker, "not a folder");
        var journalPath = Path.Combine(_blocker, "lifeline.db");
        Factory = new LifelineHostFactory(
            s =>
            {
                s["Lifeline:Storage:Path"] = journalPath;
                s["Lifeline:Storage:GrainStatePath"] = Path.Combine(root, "grains.db");
                configure?.Invoke(s);
            },
            services => services.AddSingleton(sp => new SqliteEventJournal(
                new SqliteJournalOptions { Path = journalPath, RetryDelay = TimeSpan.FromMilliseconds(200), MaxRetryDelay = TimeSpan.FromSeconds(1) },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<JournalInstruments>(),
                sp.GetRequiredService<ILogger<SqliteEventJournal>>())));
    }

    /// <summary>A folder of the test's own, holding the blocked path and the grain state.</summary>
    public string Root { get; }

    public LifelineHostFactory Factory { get; }

    public static BlockedJournal Create(string name, Action<Dictionary<string, string?>>? configure = null) =>
        new(Path.Combine(TestData.Root, $"{name}-{Guid.NewGuid():N}"), configure);

    /// <summary>The cause goes away: the journal's folder can be created now.</summary>
    public void Unblock() => File.Delete(_blocker);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
