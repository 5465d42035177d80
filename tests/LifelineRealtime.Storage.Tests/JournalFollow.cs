using System.Runtime.CompilerServices;

using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Storage.Tests;

/// <summary>
/// A follower built only from the journal's reader contract (<see cref="IEventJournal.ReadAfterSequenceAsync"/>
/// and <see cref="IEventJournal.WaitForCommitAsync"/>), as the dispatcher uses it: the tests show that contract
/// yields every record once, in order, and waits without polling.
/// </summary>
internal static class JournalFollow
{
    /// <summary>
    /// Every record after <paramref name="afterSequence"/> in sequence order, then each new one as it is
    /// committed, until cancelled. Resuming from the last sequence a consumer has finished with replays
    /// nothing twice and skips nothing.
    /// </summary>
    public static async IAsyncEnumerable<JournalRecord> FollowAsync(
        this IEventJournal journal,
        long afterSequence,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var position = afterSequence;
        while (true)
        {
            var page = await journal.ReadAfterSequenceAsync(position, pageSize, cancellationToken);
            foreach (var record in page)
            {
                yield return record;
                position = record.Sequence;
            }

            if (page.Count < pageSize)
            {
                await journal.WaitForCommitAsync(position, cancellationToken);
            }
        }
    }
}
