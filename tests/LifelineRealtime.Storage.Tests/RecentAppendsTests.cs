using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Storage.Tests;

/// <summary>An event is parsed once on its way in: a reader close behind the writer gets the appended event itself.</summary>
public sealed class RecentAppendsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_JustAppended_IsTheEventTheWriterWasGiven_NotAParsedCopy()
    {
        await using var test = TestJournal.Create();
        var entries = Enumerable.Range(1, 3).Select(n => Events.Form(n, 1_795_474_800_000 + n)).ToList();
        await test.Journal.AppendAsync(entries);

        var records = await test.Journal.ReadAfterSequenceAsync(0, 10, Ct);

        Assert.Equal(3, records.Count);
        Assert.All(records.Zip(entries), pair => Assert.Same(pair.Second.Event, pair.First.Event));
    }

    [Fact]
    public async Task Read_AfterARestart_ParsesTheStoredPayloadToAnEqualEvent()
    {
        await using var test = TestJournal.Create();
        var entry = Events.Form(1, 1_795_474_800_000);
        await test.Journal.AppendAsync([entry]);
        await test.ReopenAsync();

        var record = Assert.Single(await test.Journal.ReadAfterSequenceAsync(0, 10, Ct));

        Assert.NotSame(entry.Event, record.Event);
        Assert.Equal(entry.Event, record.Event);
    }

    [Fact]
    public void Find_HoldsTheLatestCapacityAppends_AndOnlyForTheirOwnPayload()
    {
        var recent = new RecentAppends();
        var events = Enumerable.Range(1, RecentAppends.Capacity + 1).Select(n => Events.Form(n, 1_795_474_800_000 + n)).ToList();
        for (var i = 0; i < events.Count; i++)
        {
            recent.Add(i + 1, events[i].Event, events[i].Payload);
        }

        // Sequence 1 shares its slot with the last append and is gone; 2 is still held; a changed payload is not it.
        Assert.Null(recent.Find(1, events[0].Payload));
        Assert.Same(events[1].Event, recent.Find(2, events[1].Payload));
        Assert.Same(events[^1].Event, recent.Find(events.Count, events[^1].Payload));
        Assert.Null(recent.Find(2, events[1].Payload + "&x=1"));

        recent.Clear();
        Assert.Null(recent.Find(2, events[1].Payload));
    }
}
