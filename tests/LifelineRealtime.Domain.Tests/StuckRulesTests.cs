using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Tests;

/// <summary>
/// The stuck rules on exact millisecond boundaries, per status and per platform (DIGI on the defaults, CISS with
/// thresholds of its own): exactly at a threshold a task is not stuck, one millisecond past it is.
/// </summary>
public sealed class StuckRulesTests
{
    private const long Now = 1_795_476_600_000;

    private static readonly PlatformSettings Digi = TestEvents.Digi;

    private static readonly PlatformSettings Ciss = PlatformSettings.Create(CissOptions());

    private static PlatformOptions CissOptions()
    {
        var options = TestEvents.CissOptions();
        options.StuckThresholds = new StuckThresholdOptions
        {
            Pending = TimeSpan.FromMinutes(5),
            Reserved = TimeSpan.FromSeconds(90),
            Wrapping = TimeSpan.FromMinutes(20),
            PendingWhileAvailable = TimeSpan.FromSeconds(30),
            AcceptedWithoutWorkerEvent = TimeSpan.FromMinutes(45),
        };
        return options;
    }

    public static TheoryData<string, TaskLiveStatus, long> InStatusThresholds() => new()
    {
        { "digi", TaskLiveStatus.Pending, 600_000 },
        { "digi", TaskLiveStatus.Reserved, 120_000 },
        { "digi", TaskLiveStatus.Wrapping, 900_000 },
        { "ciss", TaskLiveStatus.Pending, 300_000 },
        { "ciss", TaskLiveStatus.Reserved, 90_000 },
        { "ciss", TaskLiveStatus.Wrapping, 1_200_000 },
    };

    private static PlatformSettings Platform(string id) => id == "ciss" ? Ciss : Digi;

    [Theory]
    [MemberData(nameof(InStatusThresholds))]
    public void Judge_InStatusExactlyAtItsThreshold_IsNotStuck_OneMillisecondPastIs(string platform, TaskLiveStatus status, long thresholdMs)
    {
        var settings = Platform(platform);

        var at = StuckRules.Judge(settings, status, Now - thresholdMs, Now, 0, 0, null);
        var past = StuckRules.Judge(settings, status, Now - thresholdMs - 1, Now, 0, 0, null);

        Assert.Equal(StuckReasons.None, at.Reasons);
        Assert.Equal(StuckReasons.InStatusTooLong, past.Reasons);
        Assert.Equal(Now - thresholdMs - 1, past.SinceMs);
    }

    [Theory]
    [InlineData("digi", 60_000)]
    [InlineData("ciss", 30_000)]
    public void Judge_PendingWhileWorkersAvailable_FiresOneMillisecondPastItsThreshold_FromTheLaterOfPendingAndAvailable(string platform, long thresholdMs)
    {
        var settings = Platform(platform);
        var pendingSince = Now - 200_000;

        var at = StuckRules.Judge(settings, TaskLiveStatus.Pending, pendingSince, Now, 2, Now - thresholdMs, null);
        var past = StuckRules.Judge(settings, TaskLiveStatus.Pending, pendingSince, Now, 2, Now - thresholdMs - 1, null);
        var nobody = StuckRules.Judge(settings, TaskLiveStatus.Pending, pendingSince, Now, 0, 0, null);
        // Workers available long before the task arrived: the condition runs from the task becoming pending.
        var early = StuckRules.Judge(settings, TaskLiveStatus.Pending, Now - thresholdMs, Now, 1, Now - 3_600_000, null);

        Assert.Equal(StuckReasons.None, at.Reasons);
        Assert.Equal((StuckReasons.PendingWhileWorkersAvailable, 2, Now - thresholdMs - 1), (past.Reasons, past.AvailableWorkers, past.SinceMs));
        Assert.Equal(StuckReasons.None, nobody.Reasons);
        Assert.Equal(StuckReasons.None, early.Reasons);
    }

    [Fact]
    public void Judge_PendingWhileWorkersAvailable_OnlyWhilePending()
    {
        foreach (var status in new[] { TaskLiveStatus.Reserved, TaskLiveStatus.Assigned, TaskLiveStatus.Wrapping })
        {
            Assert.Equal(StuckReasons.None, StuckRules.Judge(Digi, status, Now - 1_000, Now, 3, Now - 500_000, null).Reasons);
        }
    }

    [Theory]
    [InlineData("digi", 1_800_000)]
    [InlineData("ciss", 2_700_000)]
    public void Judge_AcceptedWithoutWorkerEvent_FiresOneMillisecondPastItsThreshold_AndAWorkerEventClearsIt(string platform, long thresholdMs)
    {
        var settings = Platform(platform);
        var accepted = Now - thresholdMs - 1;

        var at = StuckRules.Judge(settings, TaskLiveStatus.Assigned, Now - thresholdMs, Now, 0, 0, Now - thresholdMs);
        var past = StuckRules.Judge(settings, TaskLiveStatus.Assigned, accepted, Now, 0, 0, accepted);
        var heardOfSince = StuckRules.Judge(settings, TaskLiveStatus.Assigned, accepted, Now, 0, 0, Now - 5_000);
        var wrapping = StuckRules.Judge(settings, TaskLiveStatus.Wrapping, Now - 60_000, Now, 0, 0, accepted);
        var noWorker = StuckRules.Judge(settings, TaskLiveStatus.Assigned, accepted, Now, 0, 0, null);

        Assert.Equal(StuckReasons.None, at.Reasons);
        Assert.Equal((StuckReasons.AcceptedWithoutWorkerEvent, accepted), (past.Reasons, past.SinceMs));
        Assert.Equal(StuckReasons.None, heardOfSince.Reasons);
        Assert.Equal(StuckReasons.None, wrapping.Reasons);
        Assert.Equal(StuckReasons.None, noWorker.Reasons);
    }

    [Fact]
    public void Judge_PendingTooLongAndWhileWorkersAvailable_HasBothReasons_SinceTheEarlier()
    {
        var verdict = StuckRules.Judge(Digi, TaskLiveStatus.Pending, Now - 700_000, Now, 1, Now - 120_000, null);

        Assert.Equal(StuckReasons.InStatusTooLong | StuckReasons.PendingWhileWorkersAvailable, verdict.Reasons);
        Assert.Equal((Now - 700_000, Now - 120_000, Now - 700_000), (verdict.InStatusSinceMs, verdict.AvailableSinceMs, verdict.SinceMs));
    }

    [Fact]
    public void IsAvailable_AnAvailableActivityAndNoTask_Only()
    {
        var options = TestEvents.DigiOptions();
        options.AvailableActivities = ["Available", "Ready"];
        var custom = PlatformSettings.Create(options);

        Assert.True(StuckRules.IsAvailable(Digi, "Available", holdsTask: false));
        Assert.False(StuckRules.IsAvailable(Digi, "Available", holdsTask: true));
        Assert.False(StuckRules.IsAvailable(Digi, "Break", holdsTask: false));
        Assert.False(StuckRules.IsAvailable(Digi, null, holdsTask: false));
        Assert.False(StuckRules.IsAvailable(Digi, "Ready", holdsTask: false));
        Assert.True(StuckRules.IsAvailable(custom, "Ready", holdsTask: false));
    }

    [Fact]
    public void SightingOf_WorkerAndReservationEvents_NameTheWorker_AnOfferNamesItsQueue()
    {
        var ev = new TestEvents();

        var activity = ev.Activity("WK1", "Team A", Now, "Available", "Offline", 1_000).SightingOf();
        var offer = ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR1", "WK1", "Team A", Now + 1, queueSid: "WQ1").SightingOf();
        var accepted = ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR1", "WK1", "Team A", Now + 2, queueSid: "WQ1").SightingOf();
        var task = ev.Created("WT1", Now, "support").SightingOf();

        Assert.Equal(new WorkerSighting("WK1", Now, null), activity);
        Assert.Equal(new WorkerSighting("WK1", Now + 1, "WQ1"), offer);
        Assert.Equal(new WorkerSighting("WK1", Now + 2, null), accepted);
        Assert.Null(task);
    }

    [Fact]
    public void LiveState_NamesTheWorkerHoldingTheTask_ReservedThenAcceptedThenNone()
    {
        var ev = new TestEvents();
        var lifecycle = new TaskLifecycle("WT1", Digi);
        lifecycle.Apply(ev.Created("WT1", Now, "support"));
        lifecycle.Apply(ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR1", "WK1", "Team A", Now + 1_000, queueSid: "WQ1"));
        var reserved = lifecycle.LiveState;
        lifecycle.Apply(ev.Reservation(TaskRouterEventType.ReservationTimeout, "WT1", "WR1", "WK1", "Team A", Now + 2_000, queueSid: "WQ1"));
        var pending = lifecycle.LiveState;
        lifecycle.Apply(ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR2", "WK2", "Team A", Now + 3_000, queueSid: "WQ1"));
        lifecycle.Apply(ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR2", "WK2", "Team A", Now + 4_000, queueSid: "WQ1"));
        var assigned = lifecycle.LiveState;

        Assert.Equal((TaskLiveStatus.Reserved, "WK1"), (reserved.Status, reserved.WorkerSid));
        Assert.Equal((TaskLiveStatus.Pending, (string?)null), (pending.Status, pending.WorkerSid));
        Assert.Equal((TaskLiveStatus.Assigned, "WK2", Now + 4_000), (assigned.Status, assigned.WorkerSid, assigned.SinceMs));
    }
}
