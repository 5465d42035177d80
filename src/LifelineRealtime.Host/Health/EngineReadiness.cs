using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Health;

/// <summary>
/// The two things that make the engine not ready, read from what the journal and the dispatcher already
/// expose: a journal that cannot commit (webhooks would be answered 503), and a dispatcher so far behind
/// the journal that the metrics served are stale (<c>Lifeline:Health:MaxDispatchLag</c>).
/// </summary>
public sealed class EngineReadiness(IEventJournal journal, JournalDispatcher dispatcher, IOptions<LifelineOptions> options)
{
    public long MaxDispatchLag { get; } = options.Value.Health.MaxDispatchLag;

    public IEventJournal Journal => journal;

    /// <summary>The highest committed journal sequence.</summary>
    public long JournalSequence => journal.HighWaterSequence;

    /// <summary>The highest sequence delivered to the grains; −1 until the dispatcher has read its checkpoint.</summary>
    public long DispatchedSequence => dispatcher.DispatchedSequence;

    /// <summary>Committed records not yet delivered to the grains.</summary>
    public static long Lag(long journalSequence, long dispatchedSequence) => Math.Max(0, journalSequence - Math.Max(0, dispatchedSequence));

    /// <summary>
    /// Waits until every record committed now has reached the grains, or <paramref name="timeout"/> passes;
    /// true when it caught up. (What an operator's script needs after a burst or a replay: a signal, not a poll.)
    /// </summary>
    public async Task<bool> WaitForDispatchAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await dispatcher.WaitForDispatchAsync(journal.HighWaterSequence, deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>True unless the lag is over the limit; a dispatcher still starting has no lag to judge yet.</summary>
    public bool DispatchReady(long journalSequence, long dispatchedSequence) =>
        dispatchedSequence < 0 || Lag(journalSequence, dispatchedSequence) <= MaxDispatchLag;
}
