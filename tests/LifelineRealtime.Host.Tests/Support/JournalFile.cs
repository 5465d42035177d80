using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>Reads a journal file left by a host process, as the offline fold would.</summary>
internal static class JournalFile
{
    public static async Task<IReadOnlyList<JournalRecord>> ReadAllAsync(string path, CancellationToken ct)
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var journal = new SqliteEventJournal(
            new SqliteJournalOptions { Path = path },
            TimeProvider.System,
            new JournalInstruments(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<SqliteEventJournal>.Instance);
        await using (journal)
        {
            return await journal.ReadAfterSequenceAsync(0, 1_000_000, ct);
        }
    }
}
