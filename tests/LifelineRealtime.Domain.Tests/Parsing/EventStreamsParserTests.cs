using System.Text;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Domain.Tests.Parsing;

public sealed class EventStreamsParserTests
{
    private static EventStreamsParseResult Parse(string json) => TaskRouterEventParser.ParseEventStreams(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParseEventStreams_FixtureBatch_GivesThreeEventsInOrder()
    {
        var result = TaskRouterEventParser.ParseEventStreams(Fixtures.Bytes("20-eventstreams-batch.json"));

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Equal(
            [TaskRouterEventType.ReservationAccepted, TaskRouterEventType.TaskWrapup, TaskRouterEventType.TaskCompleted],
            result.Items.Select(i => i.Event.Type).ToArray());
    }

    [Theory]
    [InlineData(0, "08-reservation.accepted.form")]
    [InlineData(1, "09-task.wrapup.form")]
    [InlineData(2, "11-task.completed.form")]
    public void ParseEventStreams_FixtureBatch_MatchesTheFormFixture(int index, string formFixture)
    {
        var streamed = TaskRouterEventParser.ParseEventStreams(Fixtures.Bytes("20-eventstreams-batch.json")).Items[index].Event;
        var form = TaskRouterEventParser.ParseFormBody(Fixtures.Text(formFixture)).Event!;

        Assert.Equal(form.Sid, streamed.Sid);
        Assert.Equal(form.Type, streamed.Type);
        Assert.Equal(form.EventType, streamed.EventType);
        Assert.Equal(form.TimestampMs, streamed.TimestampMs);
        Assert.Equal(form.AccountSid, streamed.AccountSid);
        Assert.Equal(form.WorkspaceSid, streamed.WorkspaceSid);
        Assert.Equal(form.ResourceSid, streamed.ResourceSid);
        var formTask = TaskOf(form);
        var streamedTask = TaskOf(streamed);
        Assert.Equal(formTask.Sid, streamedTask.Sid);
        Assert.Equal(formTask.TaskQueueSid, streamedTask.TaskQueueSid);
        Assert.Equal(formTask.DateCreatedMs, streamedTask.DateCreatedMs);
        Assert.Equal(formTask.TaskQueueEnteredDateMs, streamedTask.TaskQueueEnteredDateMs);
        Assert.Equal(formTask.Version, streamedTask.Version);
        Assert.Equal(formTask.Age, streamedTask.Age);
        Assert.Equal(formTask.Attributes, streamedTask.Attributes);
        if (form is ReservationEvent formReservation)
        {
            var streamedReservation = Assert.IsType<ReservationEvent>(streamed);
            Assert.Equal(formReservation.ReservationSid, streamedReservation.ReservationSid);
            Assert.Equal(formReservation.Worker!.Sid, streamedReservation.Worker!.Sid);
            Assert.Equal(formReservation.Worker.Attributes, streamedReservation.Worker.Attributes);
        }
    }

    [Fact]
    public void ParseEventStreams_Item_KeepsItsOwnJsonText()
    {
        var body = Fixtures.Text("20-eventstreams-batch.json");

        var items = TaskRouterEventParser.ParseEventStreams(Encoding.UTF8.GetBytes(body)).Items;

        Assert.All(items, item => Assert.Contains(item.RawJson, body, StringComparison.Ordinal));
        Assert.StartsWith("{", items[0].RawJson, StringComparison.Ordinal);
        Assert.Equal(items[1].Event, TaskRouterEventParser.ParseCloudEvent(items[1].RawJson).Event);
    }

    [Fact]
    public void ParseEventStreams_BareObject_IsOneEvent()
    {
        var body = Fixtures.Text("20-eventstreams-batch.json");
        var first = TaskRouterEventParser.ParseEventStreams(Encoding.UTF8.GetBytes(body)).Items[0].RawJson;

        var result = Parse(first);

        var item = Assert.Single(result.Items);
        Assert.Equal("EV000000000000000000000000e0000008", item.Event.Sid);
        Assert.Equal(first, item.RawJson);
    }

    [Fact]
    public void ParseEventStreams_NotJson_NamesBody()
    {
        var error = Assert.Single(Parse("[{").Errors);

        Assert.Equal("body", error.Field);
    }

    [Fact]
    public void ParseEventStreams_NumberBody_NamesBody()
    {
        var error = Assert.Single(Parse("42").Errors);

        Assert.Equal("body", error.Field);
        Assert.Equal("body must be a JSON array of CloudEvents", error.Message);
    }

    [Fact]
    public void ParseEventStreams_MissingPayload_NamesItWithIndex()
    {
        var error = Assert.Single(Parse("""[{"type":"com.twilio.taskrouter.task.created","data":{}}]""").Errors);

        Assert.Equal("[0].data.payload", error.Field);
    }

    [Fact]
    public void ParseEventStreams_BadItem_RefusesWholeBatchNamingItsField()
    {
        var body = Fixtures.Text("20-eventstreams-batch.json");
        const string taskSid = "\"task_sid\": \"WT000000000000000000000000d1000001\"";
        var first = body.IndexOf(taskSid, StringComparison.Ordinal);
        body = string.Concat(body.AsSpan(0, first), "\"task_sid\": \"WT-bad\"", body.AsSpan(first + taskSid.Length));
        Assert.Contains("WT-bad", body, StringComparison.Ordinal);

        var result = Parse(body);

        Assert.False(result.IsSuccess);
        Assert.Empty(result.Items);
        var error = Assert.Single(result.Errors);
        Assert.Equal("[0].data.payload.task_sid", error.Field);
        Assert.Equal("task_sid must be WT followed by 32 hex digits", error.Message);
    }

    [Fact]
    public void ParseEventStreams_BadTimestamp_NamesIt()
    {
        const string json = """
            [{"type":"com.twilio.taskrouter.worker.created","data":{"payload":{
              "sid":"EV0123456789abcdef0123456789abcdef","account_sid":"AC0123456789abcdef0123456789abcdef",
              "workspace_sid":"WS0123456789abcdef0123456789abcdef","timestamp":"soon","worker_sid":"WK0123456789abcdef0123456789abcdef"}}}]
            """;

        var error = Assert.Single(Parse(json).Errors);

        Assert.Equal("[0].data.payload.timestamp", error.Field);
    }

    [Fact]
    public void ParseEventStreams_NoEventTypeInPayload_UsesCloudEventType()
    {
        const string json = """
            [{"type":"com.twilio.taskrouter.worker.activity.update","data":{"payload":{
              "sid":"EV0123456789abcdef0123456789abcdef","account_sid":"AC0123456789abcdef0123456789abcdef",
              "workspace_sid":"WS0123456789abcdef0123456789abcdef","timestamp":"2026-11-23T23:00:49.250Z",
              "worker_sid":"WK0123456789abcdef0123456789abcdef","worker_time_in_previous_activity":12}}}]
            """;

        var parsed = Assert.IsType<WorkerEvent>(Assert.Single(Parse(json).Items).Event);

        Assert.Equal(TaskRouterEventType.WorkerActivityUpdate, parsed.Type);
        Assert.Equal(1795474849250L, parsed.TimestampMs);
        Assert.Equal(12000L, parsed.TimeInPreviousActivityMs);
    }

    [Fact]
    public void ParseEventResource_RestShape_UsesEventDateMsAndEventData()
    {
        const string json = """
            {"sid":"EV0123456789abcdef0123456789abcdef","account_sid":"AC0123456789abcdef0123456789abcdef",
             "workspace_sid":"WS0123456789abcdef0123456789abcdef","event_type":"task.canceled",
             "event_date":"2026-11-23T23:11:37Z","event_date_ms":1795475497123,"resource_type":"task",
             "resource_sid":"WT0123456789abcdef0123456789abcdef",
             "event_data":{"task_sid":"WT0123456789abcdef0123456789abcdef","task_age":"97","task_canceled_reason":"left"}}
            """;

        var parsed = Assert.IsType<TaskEvent>(TaskRouterEventParser.ParseEventResource(json).Event);

        Assert.Equal(TaskRouterEventType.TaskCanceled, parsed.Type);
        Assert.Equal(1795475497123L, parsed.TimestampMs);
        Assert.Equal("WT0123456789abcdef0123456789abcdef", parsed.Task.Sid);
        Assert.Equal(97L, parsed.Task.Age);
        Assert.Equal("left", parsed.Task.CanceledReason);
    }

    private static TaskInfo TaskOf(TaskRouterEvent e) => e switch
    {
        TaskEvent t => t.Task,
        ReservationEvent r => r.Task,
        _ => throw new InvalidOperationException("no task on " + e.EventType),
    };
}
