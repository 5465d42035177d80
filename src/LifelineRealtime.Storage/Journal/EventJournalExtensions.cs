using System.Runtime.CompilerServices;

namespace LifelineRealtime.Storage.Journal;

public static class EventJournalExtensions
{
    /// <summary>
    /// Every record after <paramref name="afterSequence"/> in sequence order, then each new one as it is
    /// committed, until cancelled: the feed for the grains dispatcher. Resuming from the last sequence a
    /// consumer has finished with replays nothing twice and skips nothing.
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
