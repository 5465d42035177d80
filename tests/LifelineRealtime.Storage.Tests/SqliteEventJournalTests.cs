using System.Text;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Tests;

public sealed class SqliteEventJournalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Append_NewEvents_GetIncreasingSequencesAndAreNew()
    {
        await using var test = TestJournal.Create();

        var results = await test.Journal.AppendAsync([Events.Form(1, 1000), Events.Form(2, 2000)]);

        Assert.Equal([new JournalAppendResult(1, true), new JournalAppendResult(2, true)], results);
        Assert.Equal(2, test.Journal.HighWaterSequence);
    }

    [Fact]
    public async Task Append_SameSidAgain_IsDuplicateWithFirstSequence()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1000)]);

        var again = await test.Journal.AppendAsync([Events.Form(2, 2000), Events.Form(1, 1000)]);

        Assert.Equal([new JournalAppendResult(2, true), new JournalAppendResult(1, false)], again);
        Assert.Equal(2, (await test.Journal.ReadAfterSequenceAsync(0, 100, Ct)).Count);
    }

    [Fact]
    public async Task Append_SameSidTwiceInOneCall_KeepsOneCopy()
    {
        await using var test = TestJournal.Create();

        var results = await test.Journal.AppendAsync([Events.Form(7, 1000), Events.Form(7, 1000)]);

        Assert.Equal([new JournalAppendResult(1, true), new JournalAppendResult(1, false)], results);
    }

    [Fact]
    public async Task Append_SameEventByCallbackAndEventStreams_IsJournaledOnce()
    {
        await using var test = TestJournal.Create();
        var form = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio", "08-reservation.accepted.form"));
        var streamed = TaskRouterEventParser.ParseEventStreams(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio", "20-eventstreams-batch.json"))).Items;

        var first = await test.Journal.AppendAsync([new JournalEntry("digi", TaskRouterEventParser.ParseFormBody(form).Event!, JournalWireFormat.Form, form)]);
        var second = await test.Journal.AppendAsync(streamed.Select(i => new JournalEntry("digi", i.Event, JournalWireFormat.EventStreams, i.RawJson)).ToList());

        Assert.Equal([new JournalAppendResult(1, true)], first);
        Assert.Equal([new JournalAppendResult(1, false), new JournalAppendResult(2, true), new JournalAppendResult(3, true)], second);
        var records = await test.Journal.ReadAfterSequenceAsync(0, 10, Ct);
        Assert.Equal([JournalWireFormat.Form, JournalWireFormat.EventStreams, JournalWireFormat.EventStreams], records.Select(r => r.Format).ToArray());
        Assert.Equal(streamed[1].RawJson, records[1].Payload);
    }

    [Fact]
    public async Task Append_ManyConcurrentWhileWriterWaits_CommitsThemInFewTransactions()
    {
        await using var test = TestJournal.Create();
        using var recorder = new MeasurementRecorder(test.MeterFactory);

        // Another connection holds the write lock, so the writer waits and every append queues up behind it.
        await using (var blocker = new SqliteConnection($"Data Source={test.Path};Pooling=False"))
        {
            await blocker.OpenAsync(Ct);
            using var hold = blocker.BeginTransaction(deferred: false);
            using (var touch = blocker.CreateCommand())
            {
                touch.Transaction = hold;
                touch.CommandText = "UPDATE events SET seq = seq WHERE 0;";
                await touch.ExecuteNonQueryAsync(Ct);
            }

            var appends = Enumerable.Range(1, 200).Select(n => test.Journal.AppendAsync([Events.Form(n, n)])).ToList();
            Assert.All(appends, a => Assert.False(a.IsCompleted));
            hold.Commit();

            var results = await Task.WhenAll(appends);
            Assert.Equal(Enumerable.Range(1, 200).Select(n => (long)n).Order(), results.Select(r => r[0].Sequence).Order());
        }

        var commits = recorder.Values("lifeline.journal.commits").Sum();
        var batchSizes = recorder.Values("lifeline.journal.commit.batch_size");
        Assert.InRange(commits, 1, 2);
        Assert.Equal(200, batchSizes.Sum());
        // The writer may have taken the first few appends before it blocked; all the rest form one batch.
        Assert.True(batchSizes.Max() >= 100, $"largest batch {batchSizes.Max()}");
        Assert.Equal(200, recorder.Values("lifeline.journal.appends", "new").Sum());
        Assert.Equal(commits, recorder.Values("lifeline.journal.commit.duration").Count);
    }

    [Fact]
    public async Task Append_Duplicates_AreCountedByOutcome()
    {
        await using var test = TestJournal.Create();
        using var recorder = new MeasurementRecorder(test.MeterFactory);

        await test.Journal.AppendAsync([Events.Form(1, 1), Events.Form(2, 2)]);
        await test.Journal.AppendAsync([Events.Form(1, 1), Events.Form(2, 2), Events.Form(3, 3)]);

        Assert.Equal(3, recorder.Values("lifeline.journal.appends", "new").Sum());
        Assert.Equal(2, recorder.Values("lifeline.journal.appends", "duplicate").Sum());
    }

    [Fact]
    public async Task ReadByEventTime_ReturnsOnePlatformInEventOrder()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 3000), Events.Form(2, 1000), Events.Form(3, 2000, "ciss"), Events.Form(4, 1000), Events.Form(5, 5000)]);

        var records = new List<JournalRecord>();
        await foreach (var record in test.Journal.ReadByEventTimeAsync("digi", 1000, 5000, Ct))
        {
            records.Add(record);
        }

        Assert.Equal([Events.Sid(2), Events.Sid(4), Events.Sid(1)], records.Select(r => r.EventSid).ToArray());
        Assert.Equal([1000L, 1000L, 3000L], records.Select(r => r.EventTimeMs).ToArray());
    }

    [Fact]
    public async Task ReadAfterSequence_ReturnsLaterRecordsUpToLimit()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([.. Enumerable.Range(1, 10).Select(n => Events.Form(n, 10 - n))]);

        var page = await test.Journal.ReadAfterSequenceAsync(4, 3, Ct);

        Assert.Equal([5L, 6L, 7L], page.Select(r => r.Sequence).ToArray());
        Assert.Equal([Events.Sid(5), Events.Sid(6), Events.Sid(7)], page.Select(r => r.EventSid).ToArray());
        Assert.Empty(await test.Journal.ReadAfterSequenceAsync(10, 3, Ct));
    }

    [Fact]
    public async Task Read_Record_CarriesKeysArrivalAndReparsedEvent()
    {
        await using var test = TestJournal.Create();
        var entry = Events.Form(9, 1234);

        await test.Journal.AppendAsync([entry]);
        var record = Assert.Single(await test.Journal.ReadAfterSequenceAsync(0, 10, Ct));

        Assert.Equal("digi", record.PlatformId);
        Assert.Equal("task.created", record.EventType);
        Assert.Equal(1234, record.EventTimeMs);
        Assert.Equal(Events.TaskSid(9), record.TaskSid);
        Assert.Null(record.WorkerSid);
        Assert.Equal(entry.Payload, record.Payload);
        Assert.Equal(1_795_500_000_000, record.ArrivedMs);
        Assert.Equal(entry.Event, record.Event);
        Assert.Equal("imminent", Assert.IsType<TaskEvent>(record.Event).Task.Attributes.GetString("supportType"));
    }

    [Fact]
    public async Task WaitForCommit_CompletesOnlyAfterALaterCommit()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1)]);

        var wait = test.Journal.WaitForCommitAsync(1, Ct);
        Assert.False(wait.IsCompleted);
        await test.Journal.AppendAsync([Events.Form(2, 2)]);

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(test.Journal.WaitForCommitAsync(0, Ct).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsRecordsSequenceAndDedupe()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1), Events.Form(2, 2)]);

        await test.ReopenAsync();
        var results = await test.Journal.AppendAsync([Events.Form(2, 2), Events.Form(3, 3)]);

        Assert.Equal([new JournalAppendResult(2, false), new JournalAppendResult(3, true)], results);
        Assert.Equal(3, test.Journal.HighWaterSequence);
        Assert.Equal(3, (await test.Journal.ReadAfterSequenceAsync(0, 10, Ct)).Count);
    }

    [Fact]
    public async Task Open_NewFile_UsesWalMode()
    {
        await using var test = TestJournal.Create();

        await using var connection = new SqliteConnection($"Data Source={test.Path};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", await command.ExecuteScalarAsync(Ct) as string);
        Assert.Equal(Encoding.UTF8.GetBytes("SQLite format 3\0"), File.ReadAllBytes(test.Path)[..16]);
    }

    [Fact]
    public async Task Append_AfterDispose_Throws()
    {
        var test = TestJournal.Create();
        await test.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => test.Journal.AppendAsync([Events.Form(1, 1)]));
    }
}

public sealed class EventJournalFollowTests
{
    [Fact]
    public async Task FollowAsync_ExistingThenNewCommits_YieldsEachOnceInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1), Events.Form(2, 2), Events.Form(3, 3)]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var seen = new List<long>();

        var follow = Task.Run(async () =>
        {
            await foreach (var record in test.Journal.FollowAsync(1, pageSize: 2, stop.Token))
            {
                seen.Add(record.Sequence);
                if (record.Sequence == 3)
                {
                    await test.Journal.AppendAsync([Events.Form(4, 4), Events.Form(3, 3)]);
                }

                if (record.Sequence == 4)
                {
                    await test.Journal.AppendAsync([Events.Form(5, 5)]);
                }

                if (record.Sequence == 5)
                {
                    return;
                }
            }
        }, ct);

        await follow.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal([2L, 3L, 4L, 5L], seen);
    }

    [Fact]
    public async Task FollowAsync_NothingNew_WaitsUntilCancelled()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1)]);
        using var stop = new CancellationTokenSource();
        await using var follower = test.Journal.FollowAsync(1, 10, stop.Token).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var next = follower.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }
}

public sealed class SqliteEventJournalLifetimeTests
{
    [Fact]
    public async Task DisposeAsync_Twice_IsHarmlessAndKeepsData()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1)]);

        await test.Journal.DisposeAsync();
        await test.Journal.DisposeAsync();
        await test.ReopenAsync();

        Assert.Equal(1, test.Journal.HighWaterSequence);
    }
}
