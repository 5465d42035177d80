using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Tests;

/// <summary>The rules each written once, on <see cref="PlatformSettings"/> and <see cref="EventSubjects"/>.</summary>
public sealed class PlatformRulesTests
{
    [Theory]
    [InlineData("imminent", 29_999, false)]
    [InlineData("imminent", 30_000, true)]
    [InlineData("imminent", 30_001, true)]
    [InlineData("safety", 59_999, false)]
    [InlineData("safety", 60_000, true)]
    [InlineData("support", 86_400_000, false)]
    [InlineData("unclassified", 86_400_000, false)]
    public void UrgentWaitAlert_AWaitEqualToTheThreshold_Alerts(string supportType, long waitMs, bool alerts) =>
        Assert.Equal(alerts, TestEvents.Digi.IsUrgentWaitAlert(supportType, waitMs));

    [Fact]
    public void UrgentTypes_AreTheConfiguredThresholdKeys_NotAFixedList()
    {
        var options = TestEvents.DigiOptions();
        options.UrgentWaitAlertSeconds = new() { ["safety"] = 45, ["check_out"] = 600 };
        var settings = PlatformSettings.Create(options);

        Assert.Equal(
            [false, false, false, true, true, false],
            new[] { "imminent", "support", "unclassified", "safety", "check_out", "debrief" }.Select(settings.IsUrgent));
        Assert.True(settings.IsUrgentWaitAlert("safety", 45_000));
        Assert.False(settings.IsUrgentWaitAlert("imminent", 3_600_000));
        Assert.True(TestEvents.Digi.IsUrgent("imminent"));
    }

    [Theory]
    [InlineData(TaskLiveStatus.Pending, 600_000, false)]
    [InlineData(TaskLiveStatus.Pending, 600_001, true)]
    [InlineData(TaskLiveStatus.Reserved, 120_001, true)]
    [InlineData(TaskLiveStatus.Wrapping, 900_000, false)]
    [InlineData(TaskLiveStatus.Wrapping, 900_001, true)]
    [InlineData(TaskLiveStatus.Assigned, long.MaxValue, false)]
    [InlineData(TaskLiveStatus.Completed, long.MaxValue, false)]
    public void Stuck_LongerThanTheStatusThreshold(TaskLiveStatus status, long inStatusMs, bool stuck) =>
        Assert.Equal(stuck, TestEvents.Digi.IsStuck(status, inStatusMs));

    [Fact]
    public void ScopeKinds_NameAndParse_RoundTripEveryKind_AndRefuseOtherNames()
    {
        foreach (var kind in Enum.GetValues<ScopeKind>())
        {
            Assert.True(ScopeKinds.TryParse(ScopeKinds.Name(kind), out var parsed));
            Assert.Equal(kind, parsed);
            Assert.Equal(ScopeKinds.Name(kind), new ScopeKey(kind, "x").KindName);
        }

        Assert.Equal(["platform", "queue", "team", "worker"], Enum.GetValues<ScopeKind>().Select(ScopeKinds.Name));
        Assert.All(new[] { "Queue", "queues", "", null, "agent" }, name => Assert.False(ScopeKinds.TryParse(name, out _)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScopeKinds.Name((ScopeKind)9));
    }

    [Fact]
    public void ScopesNamed_AMovedTask_NamesTheQueueItLeftAndTheQueueItEntered()
    {
        var ev = new TestEvents();
        var moved = ev.Task(TaskRouterEventType.TaskQueueMoved, "WT1", 1_000, queueSid: "WQnew") with { PreviousTaskQueueSid = "WQold" };

        Assert.Equal([ScopeKey.Queue("WQnew"), ScopeKey.Queue("WQold")], Named(moved));
        Assert.Equal("WT1", moved.TaskOf()?.Sid);
        Assert.Null(moved.WorkerOf());
    }

    [Fact]
    public void ScopesNamed_AWorkerEvent_NamesTheWorkerAndItsTeam_OrTheUnassignedTeam()
    {
        var ev = new TestEvents();

        Assert.Equal([ScopeKey.Worker("WK1"), ScopeKey.Team("Team A")], Named(ev.Activity("WK1", "Team A", 1_000, "Available", null, null)));
        Assert.Equal([ScopeKey.Worker("WK2"), ScopeKey.Team(SupportTypes.UnassignedTeam)], Named(ev.Activity("WK2", null, 1_000, "Available", null, null)));
        Assert.Null(ev.Activity("WK1", "Team A", 1_000, "Available", null, null).TaskOf());
    }

    [Fact]
    public void ScopesNamed_AReservation_NamesQueueWorkerAndTeam_AFailedOneOnlyTheQueue()
    {
        var ev = new TestEvents();
        var created = ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR1", "WK1", "Team B", 1_000, "WQ1");
        var failed = ev.Reservation(TaskRouterEventType.ReservationFailed, "WT1", "WR2", null, null, 1_000, "WQ1");

        Assert.Equal([ScopeKey.Queue("WQ1"), ScopeKey.Worker("WK1"), ScopeKey.Team("Team B")], Named(created));
        Assert.Equal([ScopeKey.Queue("WQ1")], Named(failed));
        Assert.Equal(("WT1", "WK1"), (created.TaskOf()?.Sid, created.WorkerOf()?.Sid));
    }

    [Fact]
    public void ScopesNamed_ATransfer_NamesItsQueueTheInitiatingWorkerAndTheTarget()
    {
        var ev = new TestEvents();
        const string targetQueue = "WQ0000000000000000000000000000c1d2";
        const string targetWorker = "WK0000000000000000000000000000aBc9";
        var toQueue = ev.Transfer("WT1", 1_000, "WR1", "WQ1") with { TransferInitiatingWorkerSid = "WK1", TransferType = "QUEUE", TransferTo = targetQueue };
        var toWorker = toQueue with { TransferType = "WORKER", TransferTo = targetWorker };

        Assert.Equal([ScopeKey.Queue("WQ1"), ScopeKey.Worker("WK1"), ScopeKey.Queue(targetQueue)], Named(toQueue));
        Assert.Equal([ScopeKey.Queue("WQ1"), ScopeKey.Worker("WK1"), ScopeKey.Worker(targetWorker)], Named(toWorker));
    }

    [Theory]
    [InlineData("WQ2")]
    [InlineData("WQ0000000000000000000000000000c1dz")]
    [InlineData("WK0000000000000000000000000000c1d2-")]
    [InlineData("client:someone")]
    public void ScopesNamed_ATransferTargetThatIsNoSid_NamesNoTargetScope(string target)
    {
        var ev = new TestEvents();
        var transfer = ev.Transfer("WT1", 1_000, "WR1", "WQ1") with { TransferTo = target };

        Assert.Equal([ScopeKey.Queue("WQ1")], Named(transfer));
    }

    [Fact]
    public void ScopesNamed_AWorkerEventWithoutAttributes_NamesTheWorkerButNoTeam()
    {
        var ev = new TestEvents();
        var created = ev.Activity("WK1", "Team A", 1_000, "Available", null, null) with
        {
            Worker = new WorkerInfo { Sid = "WK1" },
        };

        Assert.Equal([ScopeKey.Worker("WK1")], Named(created));
    }

    [Fact]
    public void ScopesNamed_ATaskCreatedWithoutAQueue_NamesNothing()
    {
        var ev = new TestEvents();

        Assert.Empty(Named(ev.Created("WT1", 1_000, "support")));
    }

    private static List<ScopeKey> Named(TaskRouterEvent e)
    {
        var scopes = new List<ScopeKey>();
        e.AddScopesNamed(TestEvents.Digi, scopes);
        return scopes;
    }
}
