using System.Diagnostics.Metrics;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Host.Tests.Wallboard.WallboardIngest;

namespace LifelineRealtime.Host.Tests.Wallboard;

/// <summary>
/// The wallboard hub end to end: the real host (journal, dispatcher, grains, SignalR) on a fake clock and the
/// real SignalR .NET client. Pushes are due only when the fake clock has moved a second, so every count here
/// is exact.
/// </summary>
public sealed class WallboardHubTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (LifelineHostFactory Factory, FakeTimeProvider Clock) Host()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 10_000));
        return (new LifelineHostFactory(services: s => s.AddSingleton<TimeProvider>(clock)), clock);
    }

    [Fact]
    public async Task Subscribe_ThenEvents_SnapshotFirstThenOneUpdatedWithTheEvents()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);

        await board.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        var first = await board.NextAsync(Ct);
        var live = await board.NextAsync(Ct);
        await AppendAndDispatchAsync(factory, Enumerable.Range(1, 3).Select(n => Fields(n, "task.created", T0 + n)), Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (updated, _) = await board.NextOfKindAsync("Updated", Ct);

        Assert.Equal("Snapshot", first.Kind);
        Assert.Equal(("digi", "platform", "digi", "1h", 0L), (first.Metrics.Platform, first.Metrics.Scope, first.Metrics.Id, first.Metrics.Window.Name, first.Metrics.Totals.Offered));
        Assert.Equal("LiveChanged", live.Kind);
        Assert.Equal((0, 0, 0, 0, 0), (live.Live.Tasks.Pending, live.Live.Tasks.Reserved, live.Live.Tasks.Assigned, live.Live.Tasks.Wrapping, live.Live.Tasks.Stuck));
        Assert.Equal(3, updated.Metrics.Totals.Offered);
        Assert.Equal(3, updated.Metrics.BySupportType["imminent"].Offered);
    }

    [Fact]
    public async Task Updated_BurstOfThousandEventsOverSeveralRounds_OnePushPerSecond()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);
        await board.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        await board.NextOfKindAsync("Snapshot", Ct);

        // Ten dispatch rounds of 100 events inside one second of the clock: nothing is due yet.
        for (var batch = 0; batch < 10; batch++)
        {
            await AppendAndDispatchAsync(factory, Enumerable.Range(batch * 100 + 1, 100).Select(n => Fields(n, "task.created", T0 + n)), Ct);
            clock.Advance(TimeSpan.FromMilliseconds(90));
        }

        clock.Advance(TimeSpan.FromMilliseconds(100));
        var (burst, beforeBurst) = await board.NextOfKindAsync("Updated", Ct);

        // The round goes on after its Updated (live state, alerts): wait for the round's LiveChanged so the next
        // event lands after it.
        var (_, roundRest) = await board.NextOfKindAsync("LiveChanged", Ct);
        await AppendAndDispatchAsync(factory, [Fields(1001, "task.created", T0 + 1001)], Ct);
        var (next, between) = await AdvanceUntilAsync(board, clock, TimeSpan.FromSeconds(1), "Updated");
        between.AddRange(roundRest);

        Assert.Equal(1000, burst.Metrics.Totals.Offered);
        Assert.Equal(1001, next.Metrics.Totals.Offered);
        Assert.DoesNotContain(beforeBurst.Concat(between), m => m.Kind is "Updated" or "Snapshot");
    }

    [Fact]
    public async Task Alert_UrgentTaskWaitsPastThreshold_RaisedThenClearedWhenCanceled()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);
        await board.SubscribeAsync("digi", "platform", "digi", "today", Ct);
        await board.NextOfKindAsync("LiveChanged", Ct);

        // Created at T0; the clock is at T0 + 10 s and the digi imminent threshold is 30 s.
        await AppendAndDispatchAsync(factory, [Fields(7, "task.created", T0), Fields(8, "task.created", T0, supportType: "support")], Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (beforeThreshold, _) = await board.NextOfKindAsync("LiveChanged", Ct);
        var (raised, _) = await AdvanceUntilAsync(board, clock, TimeSpan.FromSeconds(20), "Alert");
        await AppendAndDispatchAsync(factory, [Fields(7, "task.canceled", T0 + 31_500)], Ct);
        var (cleared, _) = await AdvanceUntilAsync(board, clock, TimeSpan.FromSeconds(1), "Alert");

        Assert.Equal(2, beforeThreshold.Live.Tasks.Pending);
        var task = "WT" + 7.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

        // Raised by the first round at or past 30 s of waiting (31 s unless that round ran late), cleared by the
        // next round after the cancel; each says how long the task had waited at that moment.
        var raisedAtMs = raised.Alert.At.ToUnixTimeMilliseconds();
        Assert.InRange(raisedAtMs, T0 + 31_000, T0 + 36_000);
        Assert.Equal(new Alert("digi", task, null, "imminent", (raisedAtMs - T0) / 1000.0, Alert.Raised, raised.Alert.At), raised.Alert);
        var clearedAtMs = cleared.Alert.At.ToUnixTimeMilliseconds();
        Assert.InRange(clearedAtMs, raisedAtMs + 1_000, raisedAtMs + 6_000);
        Assert.Equal(new Alert("digi", task, null, "imminent", (clearedAtMs - T0) / 1000.0, Alert.Cleared, cleared.Alert.At), cleared.Alert);
    }

    /// <summary>
    /// Advances the clock by <paramref name="first"/>, then a second at a time (at most five) while no message of
    /// <paramref name="kind"/> arrives within 3 s: a round still running when the clock moved re-arms its timer
    /// against the moved clock, so the round due next may need another step. Returns the message and every other
    /// message received before it.
    /// </summary>
    private static async Task<(WallboardMessage Message, List<WallboardMessage> Skipped)> AdvanceUntilAsync(WallboardConnection board, FakeTimeProvider clock, TimeSpan first, string kind)
    {
        var skipped = new List<WallboardMessage>();
        clock.Advance(first);
        for (var extra = 0; ; extra++)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                var (message, before) = await board.NextOfKindAsync(kind, wait.Token);
                skipped.AddRange(before);
                return (message, skipped);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested && extra < 5)
            {
                skipped.AddRange(board.Drain());
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }

    [Fact]
    public async Task Subscribe_WhileAlertIsRaised_GetsTheAlertAfterItsSnapshot()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var watcher = await WallboardConnection.ConnectAsync(factory, Ct);
        await watcher.SubscribeAsync("digi", "platform", "digi", "today", Ct);
        await AppendAndDispatchAsync(factory, [Fields(9, "task.created", T0)], Ct);
        clock.Advance(TimeSpan.FromSeconds(21));
        await watcher.NextOfKindAsync("Alert", Ct);

        await using var late = await WallboardConnection.ConnectAsync(factory, Ct);
        await late.SubscribeAsync("digi", "platform", "digi", "15m", Ct);
        var messages = new[] { await late.NextAsync(Ct), await late.NextAsync(Ct), await late.NextAsync(Ct) };

        Assert.Equal(["Snapshot", "LiveChanged", "Alert"], messages.Select(m => m.Kind));
        Assert.Equal((Alert.Raised, 31.0), (messages[2].Alert.State, messages[2].Alert.WaitSeconds));
    }

    [Fact]
    public async Task Reconnect_AfterEventsWhileAway_FreshSnapshotHasThem()
    {
        var (factory, _) = Host();
        await using var __ = factory;
        var first = await WallboardConnection.ConnectAsync(factory, Ct);
        await first.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        var before = await first.NextOfKindAsync("Snapshot", Ct);
        await first.DisposeAsync();

        await AppendAndDispatchAsync(factory, Enumerable.Range(1, 4).Select(n => Fields(n, "task.created", T0 + n)), Ct);
        await using var again = await WallboardConnection.ConnectAsync(factory, Ct);
        await again.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        var after = await again.NextAsync(Ct);

        Assert.Equal(0, before.Message.Metrics.Totals.Offered);
        Assert.Equal(("Snapshot", 4L), (after.Kind, after.Metrics.Totals.Offered));
    }

    [Fact]
    public async Task Unsubscribe_StopsUpdatesToThatConnectionOnly()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var leaving = await WallboardConnection.ConnectAsync(factory, Ct);
        await using var staying = await WallboardConnection.ConnectAsync(factory, Ct);
        await leaving.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        await leaving.NextOfKindAsync("Snapshot", Ct);
        await staying.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        await leaving.UnsubscribeAsync("digi", "platform", "digi", "1h", Ct);

        await AppendAndDispatchAsync(factory, [Fields(1, "task.created", T0 + 1)], Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (updated, _) = await staying.NextOfKindAsync("Updated", Ct);

        // A round trip on the leaving connection: anything sent to it with that update has arrived by now.
        await leaving.SubscribeAsync("digi", "queue", "WQ00000000000000000000000000000001", "1h", Ct);
        var (queueSnapshot, leavingMessages) = await leaving.NextOfKindAsync("Snapshot", Ct);
        leavingMessages.AddRange(leaving.Drain());

        Assert.Equal(1, updated.Metrics.Totals.Offered);
        Assert.Equal("queue", queueSnapshot.Metrics.Scope);
        Assert.DoesNotContain(leavingMessages, m => m.Kind == "Updated");
    }

    [Theory]
    [InlineData("nope", "platform", "nope", "1h", "Unknown platform 'nope'")]
    [InlineData("digi", "galaxy", "x", "1h", "Unknown scope 'galaxy'")]
    [InlineData("digi", "team", "", "1h", "The team id must be 1 to 256 characters")]
    [InlineData("digi", "platform", "ciss", "1h", "not 'ciss'")]
    [InlineData("digi", "platform", "digi", "fortnight", "Bad window 'fortnight'")]
    [InlineData("digi", "platform", "digi", "", "A window is required")]
    public async Task Subscribe_BadArgument_HubExceptionNamesIt(string platform, string scope, string id, string window, string expected)
    {
        var (factory, _) = Host();
        await using var __ = factory;
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);

        var error = await Assert.ThrowsAsync<HubException>(() => board.SubscribeAsync(platform, scope, id, window, Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instruments_ConnectionsSubscriptionsAndPushes_CountedByKind()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        using var recorder = new MeasurementRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var board = await WallboardConnection.ConnectAsync(factory, Ct);
        await board.SubscribeAsync("digi", "platform", "digi", "1h", Ct);
        await board.SubscribeAsync("digi", "platform", "digi", "15m", Ct);
        await AppendAndDispatchAsync(factory, [Fields(1, "task.created", T0 + 1)], Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await board.NextOfKindAsync("Updated", Ct);
        await board.NextOfKindAsync("Updated", Ct);
        var open = (recorder.Sum("lifeline.hub.connections"), recorder.Sum("lifeline.hub.subscriptions"));
        await board.UnsubscribeAsync("digi", "platform", "digi", "15m", Ct);
        var afterUnsubscribe = recorder.Sum("lifeline.hub.subscriptions");

        Assert.Equal((1L, 2L), open);
        Assert.Equal(1, afterUnsubscribe);
        Assert.Equal(2, recorder.Sum("lifeline.hub.pushes", ("kind", "snapshot")));
        Assert.Equal(2, recorder.Sum("lifeline.hub.pushes", ("kind", "updated")));
        await board.DisposeAsync();
    }
}
