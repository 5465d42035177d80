using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Storage.Quarantine;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Tests;

public sealed class DispatchQuarantineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Quarantine_AddListRemove_KeepsRecordsInSequenceOrderBesideTheJournal()
    {
        await using var test = TestJournal.Create();
        var quarantine = new SqliteDispatchQuarantine(test.Path);
        Assert.Empty(await quarantine.SequencesAsync(Ct));
        Assert.Equal(0, quarantine.Count);

        await quarantine.AddAsync(new QuarantinedRecord(9, "digi", Events.Sid(9), "task.created", "first error", 1_000, 1), Ct);
        await quarantine.AddAsync(new QuarantinedRecord(4, "ciss", Events.Sid(4), "reservation.accepted", "bad time", 2_000, 3), Ct);
        // Set aside again: the first time stays, the error is the latest, the attempts add up.
        await quarantine.AddAsync(new QuarantinedRecord(9, "digi", Events.Sid(9), "task.created", "second error", 5_000, 1), Ct);

        Assert.Equal(2, quarantine.Count);
        Assert.Equal(
            [
                new QuarantinedRecord(4, "ciss", Events.Sid(4), "reservation.accepted", "bad time", 2_000, 3),
                new QuarantinedRecord(9, "digi", Events.Sid(9), "task.created", "second error", 1_000, 2),
            ],
            await quarantine.ListAsync(Ct));

        // A second instance on the same file (a restart) sees the same records.
        var reopened = new SqliteDispatchQuarantine(test.Path);
        Assert.Equal(new HashSet<long> { 4, 9 }, await reopened.SequencesAsync(Ct));

        await reopened.RemoveAsync(4, Ct);
        Assert.Equal(1, reopened.Count);
        Assert.Equal([9L], (await quarantine.ListAsync(Ct)).Select(r => r.Sequence));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Read_PayloadThatNoLongerParses_IsReadAsAnUnknownEventSayingWhy()
    {
        await using var test = TestJournal.Create();
        await test.Journal.AppendAsync([Events.Form(1, 1_795_474_800_000), Events.Form(2, 1_795_474_801_000)]);
        await using (var connection = new SqliteConnection($"Data Source={test.Path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET payload = 'Sid=garbage' WHERE seq = 1;";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var records = await test.Journal.ReadAfterSequenceAsync(0, 10, Ct);

        Assert.Equal(2, records.Count);
        var damaged = records[0];
        Assert.IsType<UnknownEvent>(damaged.Event);
        Assert.Equal(Events.Sid(1), damaged.Event.Sid);
        Assert.Equal(1_795_474_800_000, damaged.Event.TimestampMs);
        Assert.StartsWith("the payload no longer parses", damaged.Unreadable, StringComparison.Ordinal);
        Assert.Null(records[1].Unreadable);
        Assert.IsType<TaskEvent>(records[1].Event);
    }
}
