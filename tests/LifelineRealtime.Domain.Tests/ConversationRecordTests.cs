using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.TaskRouter;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

/// <summary>A task as the conversation list shows it: from its events alone, with the measures' own times.</summary>
public sealed class ConversationRecordTests
{
    private static ConversationRecord Record(string task, IEnumerable<TaskRouterEvent> events)
    {
        var lifecycle = new TaskLifecycle(task, TestEvents.Digi);
        foreach (var e in events)
        {
            lifecycle.Apply(e);
        }

        return lifecycle.Conversation;
    }

    [Fact]
    public void FixtureStory_HandledTask_HasEveryOfferTheIssAndTheMeasuresTimes()
    {
        var record = Record(Task1, Events().Where(e => e.TaskOf()?.Sid == Task1).Reverse());

        Assert.Equal((Task1, ImminentQueue, "DIGI imminent", "imminent", ConversationOutcome.Handled), (record.TaskSid, record.TaskQueueSid, record.TaskQueueName, record.SupportType, record.Outcome));
        Assert.Equal((Alex, "Team A"), (record.WorkerSid, record.Team));
        Assert.Empty(record.TransferredToWorkerSids);
        Assert.Equal((T0, T0 + 49_250, T0 + 1_249_250, T0 + 1_384_750, (long?)null), (record.CreatedMs, record.AcceptedMs, record.WrapupMs, record.CompletedMs, record.CanceledMs));
        // The same durations as the measures (design §5): wait 49.25 s, talk 1,200 s, wrap 135.5 s, handle 1,335.5 s.
        Assert.Equal((49_250L, 1_200_000L, 135_500L, 1_335_500L), (record.WaitMs!.Value, record.TalkMs!.Value, record.WrapMs!.Value, record.HandleMs!.Value));
        Assert.Equal(
            [
                ("WR000000000000000000000000d1000101", Blake, ReservationOutcome.TimedOut, T0 + 5_000, T0 + 35_000),
                ("WR000000000000000000000000d1000102", Casey, ReservationOutcome.Rejected, T0 + 36_000, T0 + 41_000),
                (AlexReservation, Alex, ReservationOutcome.Completed, T0 + 42_000, T0 + 1_384_800),
            ],
            record.Reservations.Select(r => (r.ReservationSid, r.WorkerSid!, r.Outcome, r.CreatedMs!.Value, r.EndedMs!.Value)));
    }

    [Fact]
    public void FixtureStory_CanceledChat_IsAbandonedAfterItsWait()
    {
        var record = Record(Task2, Events().Where(e => e.TaskOf()?.Sid == Task2));

        Assert.Equal((ConversationOutcome.Abandoned, 97_000L, (string?)null), (record.Outcome, record.WaitMs!.Value, record.WorkerSid));
        Assert.Empty(record.Reservations);
    }

    [Fact]
    public void Attributes_NameTheCsTheConversationAndTheCall_ByTheConfiguredPathsInOrder()
    {
        var ev = new TestEvents();
        const string attributes = """{"supportType":"support","customers":{"name":"Robin Example"},"from":"+61400000000","conversationSid":"CH00000000000000000000000000000001","call_sid":"CA00000000000000000000000000000001","conference":{"sid":"CF00000000000000000000000000000001"},"channelType":"web"}""";
        var record = Record("WT00000000000000000000000000000009", [ev.Task(TaskRouterEventType.TaskCreated, "WT00000000000000000000000000000009", T0, attributes: attributes, version: 0)]);

        Assert.Equal(
            ("Robin Example", "+61400000000", "CH00000000000000000000000000000001", "CA00000000000000000000000000000001", "CF00000000000000000000000000000001", "web", ConversationOutcome.Open),
            (record.CustomerName, record.CustomerIdentity, record.ConversationSid, record.CallSid, record.ConferenceSid, record.Channel, record.Outcome));
    }

    [Fact]
    public void CustomerName_FallsBackToFrom_AndALegacyChannelSidLinksTheChat()
    {
        var ev = new TestEvents();
        var record = Record("WT0000000000000000000000000000000a", [ev.Task(TaskRouterEventType.TaskCreated, "WT0000000000000000000000000000000a", T0, attributes: """{"from":"web-visitor-17","channelSid":"CH0000000000000000000000000000000a"}""", version: 0)]);

        Assert.Equal(("web-visitor-17", "CH0000000000000000000000000000000a"), (record.CustomerName, record.ConversationSid));
    }

    [Fact]
    public void NativeTransfer_IsTheOutcome_AndTheSecondIssIsNamed()
    {
        var ev = new TestEvents();
        const string task = "WT0000000000000000000000000000000b";
        var record = Record(task,
        [
            ev.Created(task, T0, "support"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, task, "WR0000000000000000000000000000b001", Alex, "Team A", T0 + 1_000),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, task, "WR0000000000000000000000000000b001", Alex, "Team A", T0 + 2_000),
            ev.Transfer(task, T0 + 60_000, "WR0000000000000000000000000000b001"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, task, "WR0000000000000000000000000000b002", Casey, "Team B", T0 + 61_000),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, task, "WR0000000000000000000000000000b002", Casey, "Team B", T0 + 62_000),
            ev.Task(TaskRouterEventType.TaskCompleted, task, T0 + 300_000),
        ]);

        Assert.Equal((ConversationOutcome.Transferred, Alex), (record.Outcome, record.WorkerSid));
        Assert.Equal([Casey], record.TransferredToWorkerSids);
    }
}
