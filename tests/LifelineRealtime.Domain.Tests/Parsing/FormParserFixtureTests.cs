using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Domain.Tests.Parsing;

public sealed class FormParserFixtureTests
{
    private const string DigiAccount = "AC0000000000000000000000000000d161";
    private const string DigiWorkspace = "WS0000000000000000000000000000d161";
    private const string Task1 = "WT000000000000000000000000d1000001";
    private const string ImminentQueue = "WQ000000000000000000000000000d1001";

    private static TaskRouterEvent Parse(string fixture)
    {
        var result = TaskRouterEventParser.ParseFormBody(Fixtures.Text(fixture));
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Event!;
    }

    [Theory]
    [InlineData("01-task.created.form", typeof(TaskEvent), TaskRouterEventType.TaskCreated, "EV000000000000000000000000e0000001", 1795474800000L)]
    [InlineData("02-reservation.created.form", typeof(ReservationEvent), TaskRouterEventType.ReservationCreated, "EV000000000000000000000000e0000002", 1795474805000L)]
    [InlineData("03-reservation.timeout.form", typeof(ReservationEvent), TaskRouterEventType.ReservationTimeout, "EV000000000000000000000000e0000003", 1795474835000L)]
    [InlineData("04-worker.activity.update.form", typeof(WorkerEvent), TaskRouterEventType.WorkerActivityUpdate, "EV000000000000000000000000e0000004", 1795474835020L)]
    [InlineData("05-reservation.created.form", typeof(ReservationEvent), TaskRouterEventType.ReservationCreated, "EV000000000000000000000000e0000005", null)]
    [InlineData("06-reservation.rejected.form", typeof(ReservationEvent), TaskRouterEventType.ReservationRejected, "EV000000000000000000000000e0000006", null)]
    [InlineData("07-reservation.created.form", typeof(ReservationEvent), TaskRouterEventType.ReservationCreated, "EV000000000000000000000000e0000007", null)]
    [InlineData("08-reservation.accepted.form", typeof(ReservationEvent), TaskRouterEventType.ReservationAccepted, "EV000000000000000000000000e0000008", 1795474849250L)]
    [InlineData("09-task.wrapup.form", typeof(TaskEvent), TaskRouterEventType.TaskWrapup, "EV000000000000000000000000e0000009", 1795476049250L)]
    [InlineData("10-reservation.wrapup.form", typeof(ReservationEvent), TaskRouterEventType.ReservationWrapup, "EV000000000000000000000000e000000a", 1795476049300L)]
    [InlineData("11-task.completed.form", typeof(TaskEvent), TaskRouterEventType.TaskCompleted, "EV000000000000000000000000e000000b", 1795476184750L)]
    [InlineData("12-reservation.completed.form", typeof(ReservationEvent), TaskRouterEventType.ReservationCompleted, "EV000000000000000000000000e000000c", 1795476184800L)]
    [InlineData("13-task.canceled.form", typeof(TaskEvent), TaskRouterEventType.TaskCanceled, "EV000000000000000000000000e000000d", 1795475497000L)]
    [InlineData("14-task.transfer-initiated.form", typeof(TransferEvent), TaskRouterEventType.TaskTransferInitiated, "EV000000000000000000000000e000000e", 1795476900000L)]
    public void ParseFormBody_Fixture_GivesRecordTypeSidAndTime(string fixture, Type recordType, TaskRouterEventType type, string sid, long? timestampMs)
    {
        var parsed = Parse(fixture);

        Assert.IsType(recordType, parsed);
        Assert.Equal(type, parsed.Type);
        Assert.Equal(sid, parsed.Sid);
        Assert.Equal(fixture[3..^5], parsed.EventType);
        if (timestampMs is not null)
        {
            Assert.Equal(timestampMs.Value, parsed.TimestampMs);
        }
    }

    [Fact]
    public void ParseFormBody_TaskCreated_ReadsTaskFieldsAndAttributes()
    {
        var parsed = Assert.IsType<TaskEvent>(Parse("01-task.created.form"));

        Assert.Equal(DigiAccount, parsed.AccountSid);
        Assert.Equal(DigiWorkspace, parsed.WorkspaceSid);
        Assert.Equal("task", parsed.ResourceType);
        Assert.Equal(Task1, parsed.ResourceSid);
        Assert.Equal(Task1, parsed.Task.Sid);
        Assert.Null(parsed.Task.TaskQueueSid);
        Assert.Equal("WW0000000000000000000000000000d161", parsed.Task.WorkflowSid);
        Assert.Equal("pending", parsed.Task.AssignmentStatus);
        Assert.Equal(0L, parsed.Task.Age);
        Assert.Equal(0, parsed.Task.Priority);
        Assert.Equal(0L, parsed.Task.Version);
        Assert.Equal("chat", parsed.Task.TaskChannelUniqueName);
        Assert.Equal(1795474800000L, parsed.Task.DateCreatedMs);
        Assert.Equal("imminent", parsed.Task.Attributes.GetString("supportType"));
        Assert.Equal("CH000000000000000000000000d1000001", parsed.Task.Attributes.GetString("conversations.conversation_id"));
    }

    [Fact]
    public void ParseFormBody_ReservationAccepted_ReadsTaskReservationAndWorker()
    {
        var parsed = Assert.IsType<ReservationEvent>(Parse("08-reservation.accepted.form"));

        Assert.Equal("WR000000000000000000000000d1000103", parsed.ReservationSid);
        Assert.Equal(1L, parsed.ReservationVersion);
        Assert.Equal(Task1, parsed.Task.Sid);
        Assert.Equal(ImminentQueue, parsed.Task.TaskQueueSid);
        Assert.Equal("DIGI imminent", parsed.Task.TaskQueueName);
        Assert.Equal(1795474800000L, parsed.Task.TaskQueueEnteredDateMs);
        Assert.Equal(49L, parsed.Task.Age);
        Assert.Equal(7L, parsed.Task.Version);
        Assert.Equal("assigned", parsed.Task.AssignmentStatus);
        var worker = Assert.IsType<WorkerInfo>(parsed.Worker);
        Assert.Equal("WK0000000000000000000000000000a1e7", worker.Sid);
        Assert.Equal("alex.example@example.org", worker.Name);
        Assert.Equal("Team A", worker.Attributes.GetString("team_name"));
        Assert.Equal("WA0000000000000000000000000000d1a1", worker.ActivitySid);
        Assert.Equal("Available", worker.ActivityName);
        Assert.Equal(89L, worker.Version);
    }

    [Fact]
    public void ParseFormBody_WorkerActivityUpdate_ReadsPreviousActivityInMilliseconds()
    {
        var parsed = Assert.IsType<WorkerEvent>(Parse("04-worker.activity.update.form"));

        Assert.Equal("WK000000000000000000000000000b1a6e", parsed.Worker.Sid);
        Assert.Equal("Offline", parsed.Worker.ActivityName);
        Assert.Equal("WA000000000000000000000000000d10ff", parsed.Worker.ActivitySid);
        Assert.Equal(43L, parsed.Worker.Version);
        Assert.Equal("Available", parsed.PreviousActivityName);
        Assert.Equal("WA0000000000000000000000000000d1a1", parsed.PreviousActivitySid);
        Assert.Equal(5412318L, parsed.TimeInPreviousActivityMs);
    }

    [Fact]
    public void ParseFormBody_WorkerActivityUpdateWithoutMs_FallsBackToSecondsTimesThousand()
    {
        var body = Fixtures.Text("04-worker.activity.update.form").Replace("&WorkerTimeInPreviousActivityMs=5412318", "", StringComparison.Ordinal);

        var parsed = Assert.IsType<WorkerEvent>(TaskRouterEventParser.ParseFormBody(body).Event);

        Assert.Equal(5412000L, parsed.TimeInPreviousActivityMs);
    }

    [Fact]
    public void ParseFormBody_TaskCompleted_ReadsReasonAndHasNoWorker()
    {
        var parsed = Assert.IsType<TaskEvent>(Parse("11-task.completed.form"));

        Assert.Equal("Task completed by Alex Example", parsed.Task.CompletedReason);
        Assert.Equal("completed", parsed.Task.AssignmentStatus);
        Assert.Equal(1384L, parsed.Task.Age);
    }

    [Fact]
    public void ParseFormBody_TaskCanceled_ReadsReasonAndQueue()
    {
        var parsed = Assert.IsType<TaskEvent>(Parse("13-task.canceled.form"));

        Assert.Equal("WT000000000000000000000000d1000002", parsed.Task.Sid);
        Assert.Equal("Customer left the chat", parsed.Task.CanceledReason);
        Assert.Equal("WQ000000000000000000000000000d1003", parsed.Task.TaskQueueSid);
        Assert.Equal(97L, parsed.Task.Age);
    }

    [Fact]
    public void ParseFormBody_TransferInitiated_ReadsTransferFields()
    {
        var parsed = Assert.IsType<TransferEvent>(Parse("14-task.transfer-initiated.form"));

        Assert.Equal("AC0000000000000000000000000000c155", parsed.AccountSid);
        Assert.Equal("WT000000000000000000000000c1000003", parsed.Task.Sid);
        Assert.Equal("COLD", parsed.TransferMode);
        Assert.Equal("QUEUE", parsed.TransferType);
        Assert.Equal("WQ000000000000000000000000000c1003", parsed.TransferTo);
        Assert.Equal("initiated", parsed.TransferStatus);
        Assert.Equal("WR000000000000000000000000c1000301", parsed.TransferInitiatingReservationSid);
        Assert.Equal("WK0000000000000000000000000000d4e3", parsed.TransferInitiatingWorkerSid);
        Assert.Equal("TT000000000000000000000000c1000003", parsed.TaskTransferSid);
        Assert.Equal("voice", parsed.Task.TaskChannelUniqueName);
    }

    [Fact]
    public void ParseForm_FieldDictionary_GivesSameEventAsBody()
    {
        var body = Fixtures.Text("08-reservation.accepted.form");

        var fromFields = TaskRouterEventParser.ParseForm(TaskRouterEventParser.DecodeForm(body)).Event;
        var fromBody = TaskRouterEventParser.ParseFormBody(body).Event;

        Assert.Equal(fromBody, fromFields);
    }

    [Fact]
    public void DecodeForm_PlusAndPercent_DecodeToSpaceAndCharacter()
    {
        var fields = TaskRouterEventParser.DecodeForm("A=DIGI+imminent&B=%7B%22x%22%3A1%7D&C=&D");

        Assert.Equal("DIGI imminent", fields["A"]);
        Assert.Equal("{\"x\":1}", fields["B"]);
        Assert.Equal("", fields["C"]);
        Assert.Equal("", fields["D"]);
        Assert.Equal(4, fields.Count);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a+b%2Bc")]
    [InlineData("%7B%22name%22%3A%22Zo%C3%AB%22%7D")]
    [InlineData("emoji%F0%9F%98%80+ok")]
    [InlineData("bad%zzescape%2")]
    [InlineData("%")]
    [InlineData("raw-non-ascii-é-😀")]
    [InlineData("invalid-utf8-%C3%28")]
    public void DecodeForm_AnyValue_MatchesWebUtilityUrlDecode(string encoded)
    {
        var fields = TaskRouterEventParser.DecodeForm("k=" + encoded);

        Assert.Equal(System.Net.WebUtility.UrlDecode(encoded), fields["k"]);
    }

    [Fact]
    public void DecodeForm_LongValue_MatchesWebUtilityUrlDecode()
    {
        var body = Fixtures.Text("08-reservation.accepted.form");
        var value = body[(body.IndexOf("TaskAttributes=", StringComparison.Ordinal) + 15)..];
        value = value[..value.IndexOf('&', StringComparison.Ordinal)];

        Assert.Equal(System.Net.WebUtility.UrlDecode(value), TaskRouterEventParser.DecodeForm(body)["TaskAttributes"]);
    }
}
