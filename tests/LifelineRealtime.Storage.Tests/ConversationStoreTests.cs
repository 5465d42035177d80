using System.Collections.Immutable;
using CsCheck;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Storage.Conversations;

namespace LifelineRealtime.Storage.Tests;

public sealed class ConversationStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConversationRecord Record(string sid, long createdMs, string? team = "Team A", ConversationOutcome outcome = ConversationOutcome.Open) => new(
        "digi", sid, "WQ1", "queue", "support", "web", "Name", "id", null, null, null, team is null ? null : "WK1", null, team, [], [],
        createdMs, null, null, null, null, null, null, null, null, outcome);

    private static string Sid(int n) => "WT" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Upsert_ReplacesTheRecord_ButKeepsTheOrderKeyItWasFirstStoredWith()
    {
        await using var test = TestJournal.Create();
        var store = new SqliteConversationStore(test.Path);
        await store.UpsertAsync([Record(Sid(1), 5_000)], Ct);

        // The same task, later known to have been created earlier (a late task.created): same place in the list.
        await store.UpsertAsync([Record(Sid(1), 1_000, outcome: ConversationOutcome.Handled)], Ct);

        var row = await store.GetAsync("digi", Sid(1), Ct);
        Assert.Equal((5_000L, ConversationOutcome.Handled, 1_000L), (row!.SortMs, row.Record.Outcome, row.Record.CreatedMs!.Value));
        Assert.Equal(row.Record, (await store.QueryAsync(new ConversationQuery("digi", 0, 10_000, 10), Ct)).Single().Record);
    }

    /// <summary>
    /// Pages read while records keep arriving (new ones anywhere in time, and changes to ones already read) never
    /// repeat a row and never skip one that was there when the first page was read; every page is newest first.
    /// </summary>
    [Fact]
    public async Task Paging_WhileRecordsArrive_NeitherSkipsNorRepeats()
    {
        await using var test = TestJournal.Create();
        var store = new SqliteConversationStore(test.Path);
        var round = 0;
        var gen = Gen.Select(Gen.Int[1, 60], Gen.Int[1, 7], Gen.Int[0, 5].Array[8], Gen.Int[0, 200]);
        await gen.SampleAsync(async sample =>
        {
            var (count, pageSize, arrivalsPerPage, seed) = sample;
            var platform = round++;
            var random = new Random(seed);
            var prefix = platform * 100_000;
            var initial = Enumerable.Range(0, count).Select(i => Record(Sid(prefix + i), random.Next(0, 50) * 100L) with { Platform = $"p{platform}" }).ToList();
            await store.UpsertAsync(initial, Ct);

            var seen = new List<ConversationRow>();
            ConversationPosition? after = null;
            var next = count;
            for (var page = 0; ; page++)
            {
                var rows = await store.QueryAsync(new ConversationQuery($"p{platform}", 0, 10_000, pageSize, after), Ct);
                seen.AddRange(rows);
                if (rows.Count < pageSize)
                {
                    break;
                }

                after = new ConversationPosition(rows[^1].SortMs, rows[^1].Record.TaskSid);
                var arriving = Enumerable.Range(0, arrivalsPerPage[page % arrivalsPerPage.Length])
                    .Select(_ => Record(Sid(prefix + next++), random.Next(0, 60) * 100L) with { Platform = $"p{platform}" })
                    .Concat(initial.Take(2).Select(r => r with { Outcome = ConversationOutcome.Handled, CreatedMs = 9_999 }));
                await store.UpsertAsync([.. arriving], Ct);
            }

            var sids = seen.Select(r => r.Record.TaskSid).ToList();
            Assert.Equal(sids.Count, sids.Distinct(StringComparer.Ordinal).Count());
            Assert.Empty(initial.Select(r => r.TaskSid).Except(sids, StringComparer.Ordinal));
            var keys = seen.Select(r => (r.SortMs, r.Record.TaskSid)).ToList();
            Assert.Equal(keys.OrderByDescending(k => k.SortMs).ThenByDescending(k => k.TaskSid, StringComparer.Ordinal), keys);
        }, iter: 60);
    }

    [Fact]
    public async Task Query_Filters_TeamsWorkerTypeOutcomeAndSid()
    {
        await using var test = TestJournal.Create();
        var store = new SqliteConversationStore(test.Path);
        await store.UpsertAsync(
        [
            Record(Sid(1), 1_000, "Team A", ConversationOutcome.Handled) with { ConversationSid = "CH1" },
            Record(Sid(2), 2_000, "Team B", ConversationOutcome.Transferred) with { TransferredToWorkerSids = ["WK9"] },
            Record(Sid(3), 3_000, null, ConversationOutcome.Abandoned) with { SupportType = "imminent", CallSid = "CA3" },
        ], Ct);

        async Task<string[]> Sids(ConversationQuery q) => [.. (await store.QueryAsync(q, Ct)).Select(r => r.Record.TaskSid)];
        var all = new ConversationQuery("digi", 0, 10_000, 10);
        Assert.Equal([Sid(3), Sid(2), Sid(1)], await Sids(all));
        Assert.Equal([Sid(2), Sid(1)], await Sids(all with { Teams = ImmutableHashSet.Create("Team A", "Team B") }));
        Assert.Empty(await Sids(all with { Teams = ImmutableHashSet<string>.Empty }));
        Assert.Equal([Sid(2)], await Sids(all with { Worker = "WK9" }));
        Assert.Equal([Sid(3)], await Sids(all with { SupportType = "imminent" }));
        Assert.Equal([Sid(2)], await Sids(all with { Outcome = ConversationOutcome.Transferred }));
        Assert.Equal([Sid(1)], await Sids(all with { Sid = "CH1" }));
        Assert.Equal([Sid(3)], await Sids(all with { Sid = "CA3" }));
        Assert.Equal([Sid(2)], await Sids(all with { FromMs = 2_000, ToMs = 3_000 }));
    }
}
