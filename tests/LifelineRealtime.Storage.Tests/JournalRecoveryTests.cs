using System.Diagnostics;
using LifelineRealtime.Storage.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Storage.Tests;

/// <summary>
/// A journal that cannot open or commit refuses appends, says so, and opens again by itself once the cause
/// is gone. Tests run as root here, where file modes stop nothing, so the causes are ones root meets too:
/// a data folder that cannot be created (its path is taken by a file) and a lock held by another connection.
/// </summary>
public sealed class JournalRecoveryTests
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_FolderPathTakenByAFile_StartsFailingAndRefusesAppendsAtOnce()
    {
        var blocker = BlockedFolder();
        await using var test = TestJournal.Create(Path.Combine(blocker, "journal.db"));
        var started = test.Time.GetUtcNow();

        var health = test.Journal.Health;
        var refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => test.Journal.AppendAsync([Events.Form(1, 1000)]));
        await Assert.ThrowsAsync<JournalUnavailableException>(() => test.Journal.AppendAsync([Events.Form(2, 1000)]));

        Assert.Equal(JournalState.Failing, health.State);
        Assert.Equal(started, health.Since);
        Assert.Equal(started, health.LastErrorAt);
        Assert.False(string.IsNullOrEmpty(health.LastError));
        Assert.Equal(started + RetryDelay, health.NextAttemptAt);
        Assert.Equal(RetryDelay, refused.RetryAfter);
        // Appends before the retry is due do not make it try again: a broken disk is not hammered.
        Assert.Equal(1, test.Journal.Health.FailedAttempts);
        Assert.Equal(0, test.Journal.HighWaterSequence);
        File.Delete(blocker);
    }

    [Fact]
    public async Task Open_FolderBecomesCreatable_OpensByItselfAfterTheDelayAndCommits()
    {
        var blocker = BlockedFolder();
        await using var test = TestJournal.Create(Path.Combine(blocker, "journal.db"));
        var started = test.Time.GetUtcNow();

        // Still blocked at the first retry: the delay doubles and the failure is not logged again.
        await test.AdvanceUntilAsync(RetryDelay, h => h.FailedAttempts == 2);
        var second = test.Journal.Health;
        File.Delete(blocker);
        await test.AdvanceUntilAsync(2 * RetryDelay, h => h.IsWritable);
        var results = await test.Journal.AppendAsync([Events.Form(1, 1000)]);

        Assert.Equal((JournalState.Failing, started, started + RetryDelay + 2 * RetryDelay), (second.State, second.Since, second.NextAttemptAt));
        var health = test.Journal.Health;
        Assert.Equal(JournalState.Writable, health.State);
        Assert.Equal(started + 3 * RetryDelay, health.Since);
        Assert.Equal(0, health.FailedAttempts);
        Assert.Null(health.NextAttemptAt);
        Assert.Equal(started + RetryDelay, health.LastErrorAt);
        Assert.Equal([new JournalAppendResult(1, IsNew: true)], results);
        Assert.Equal(1, test.Journal.HighWaterSequence);
        Assert.Equal([(LogLevel.Error, 2003), (LogLevel.Debug, 2004), (LogLevel.Information, 2001), (LogLevel.Warning, 2005)],
            test.Log.Entries.Select(e => (e.Level, e.EventId)));
        Assert.Equal([1, -1], test.Measurements.Values("lifeline.journal.failing"));
        Assert.Equal(2, test.Measurements.Values("lifeline.journal.failures").Count);
    }

    [Fact]
    public async Task Retry_KeepsFailing_DelayDoublesUpToTheMaximum()
    {
        var blocker = BlockedFolder();
        await using var test = TestJournal.Create(Path.Combine(blocker, "journal.db"), o => o.MaxRetryDelay = TimeSpan.FromSeconds(4));
        var delays = new List<TimeSpan?> { test.Journal.Health.NextAttemptAt - test.Journal.Health.LastErrorAt };

        for (var attempt = 2; attempt <= 5; attempt++)
        {
            var due = test.Journal.Health.NextAttemptAt!.Value - test.Time.GetUtcNow();
            await test.AdvanceUntilAsync(due, h => h.FailedAttempts == attempt);
            delays.Add(test.Journal.Health.NextAttemptAt - test.Journal.Health.LastErrorAt);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)], delays);
        Assert.Single(test.Log.Entries, e => e.Level == LogLevel.Error);
        File.Delete(blocker);
    }

    [Fact]
    public async Task Commit_FileLockedByAnotherConnection_FailsWithinTheBusyTimeoutThenRecovers()
    {
        var busyTimeout = TimeSpan.FromSeconds(1);
        await using var test = TestJournal.Create(configure: o => o.BusyTimeout = busyTimeout);
        await test.Journal.AppendAsync([Events.Form(1, 1000)]);

        var elapsed = Stopwatch.StartNew();
        JournalUnavailableException refused;
        using (var other = new SqliteConnection($"Data Source={test.Path};Pooling=False"))
        {
            other.Open();
            using (var exclusive = other.CreateCommand())
            {
                exclusive.CommandText = "BEGIN EXCLUSIVE;";
                exclusive.ExecuteNonQuery();
            }

            elapsed.Restart();
            refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => test.Journal.AppendAsync([Events.Form(2, 2000)]));
            elapsed.Stop();
            Assert.Equal(JournalState.Failing, test.Journal.Health.State);
        }

        // The other connection has gone (its transaction rolled back): the next attempt opens the journal.
        await test.AdvanceUntilAsync(RetryDelay, h => h.IsWritable);
        var results = await test.Journal.AppendAsync([Events.Form(2, 2000)]);

        // It waited for the lock about as long as the busy timeout, not the library's 30 s default.
        Assert.InRange(elapsed.Elapsed, busyTimeout - TimeSpan.FromMilliseconds(100), busyTimeout + TimeSpan.FromSeconds(2));
        Assert.Contains("locked", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsAssignableFrom<SqliteException>(refused.InnerException);
        Assert.Equal([new JournalAppendResult(2, IsNew: true)], results);
        Assert.Equal(2, (await test.Journal.ReadAfterSequenceAsync(0, 10, Ct)).Count);
    }

    [Fact]
    public async Task WaitForCommit_WhileFailing_CompletesWhenAnAppendCommitsAfterRecovery()
    {
        var blocker = BlockedFolder();
        await using var test = TestJournal.Create(Path.Combine(blocker, "journal.db"));
        var waiting = test.Journal.WaitForCommitAsync(0, Ct);

        File.Delete(blocker);
        await test.AdvanceUntilAsync(RetryDelay, h => h.IsWritable);
        await test.Journal.AppendAsync([Events.Form(1, 1000)]);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(1, test.Journal.HighWaterSequence);
    }

    /// <summary>A path under the temporary folder taken by a plain file, so no folder can be made there.</summary>
    private static string BlockedFolder()
    {
        var path = Path.Combine(TestData.Root, $"blocked-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not a folder");
        return path;
    }
}
