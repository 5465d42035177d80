using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Domain.Tests.Parsing;

public sealed class FormParserValidationTests
{
    private static Dictionary<string, string> Fields(string eventType, params (string Name, string Value)[] extra)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Sid"] = "EV0123456789abcdef0123456789abcdef",
            ["EventType"] = eventType,
            ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["WorkspaceSid"] = "WS0123456789abcdef0123456789abcdef",
            ["TimestampMs"] = "1795474800123",
            ["TaskSid"] = "WT0123456789abcdef0123456789abcdef",
            ["ReservationSid"] = "WR0123456789abcdef0123456789abcdef",
            ["WorkerSid"] = "WK0123456789abcdef0123456789abcdef",
            ["TaskQueueSid"] = "WQ0123456789abcdef0123456789abcdef",
        };
        foreach (var (name, value) in extra)
        {
            fields[name] = value;
        }

        return fields;
    }

    private static TaskRouterFieldError SingleError(Dictionary<string, string> fields)
    {
        var result = TaskRouterEventParser.ParseForm(fields);
        Assert.False(result.IsSuccess);
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("Sid")]
    [InlineData("EventType")]
    [InlineData("AccountSid")]
    [InlineData("WorkspaceSid")]
    public void ParseForm_MissingCommonField_NamesIt(string field)
    {
        var fields = Fields("task.created");
        fields.Remove(field);

        var error = SingleError(fields);

        Assert.Equal(field, error.Field);
        Assert.Equal(field + " is required", error.Message);
    }

    [Theory]
    [InlineData("task.created", "TaskSid")]
    [InlineData("task-queue.entered", "TaskSid")]
    [InlineData("task.transfer-initiated", "TaskSid")]
    [InlineData("reservation.accepted", "TaskSid")]
    [InlineData("reservation.accepted", "ReservationSid")]
    [InlineData("reservation.accepted", "WorkerSid")]
    [InlineData("worker.activity.update", "WorkerSid")]
    [InlineData("task-queue.created", "TaskQueueSid")]
    public void ParseForm_MissingPerTypeField_NamesIt(string eventType, string field)
    {
        var fields = Fields(eventType);
        fields.Remove(field);

        var error = SingleError(fields);

        Assert.Equal(field, error.Field);
        Assert.Equal(field + " is required", error.Message);
    }

    [Fact]
    public void ParseForm_ReservationFailedWithoutWorker_HasNoWorker()
    {
        var fields = Fields("reservation.failed");
        fields.Remove("WorkerSid");

        var parsed = Assert.IsType<ReservationEvent>(TaskRouterEventParser.ParseForm(fields).Event);

        Assert.Null(parsed.Worker);
        Assert.Equal("WR0123456789abcdef0123456789abcdef", parsed.ReservationSid);
    }

    [Theory]
    [InlineData("Sid", "XX0123456789abcdef0123456789abcdef", "Sid must be EV followed by 32 hex digits")]
    [InlineData("Sid", "EV0123456789abcdef0123456789abcde", "Sid must be EV followed by 32 hex digits")]
    [InlineData("Sid", "EV0123456789abcdef0123456789abcdeg", "Sid must be EV followed by 32 hex digits")]
    [InlineData("AccountSid", "WS0123456789abcdef0123456789abcdef", "AccountSid must be AC followed by 32 hex digits")]
    [InlineData("WorkspaceSid", "ws0123456789abcdef0123456789abcdef", "WorkspaceSid must be WS followed by 32 hex digits")]
    [InlineData("TaskSid", "WK0123456789abcdef0123456789abcdef", "TaskSid must be WT followed by 32 hex digits")]
    [InlineData("TaskQueueSid", "WQ0123", "TaskQueueSid must be WQ followed by 32 hex digits")]
    public void ParseForm_MalformedSid_NamesFieldAndShape(string field, string value, string message)
    {
        var error = SingleError(Fields("task.updated", (field, value)));

        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("TimestampMs", "12.5", "TimestampMs must be a whole number of Unix milliseconds")]
    [InlineData("TimestampMs", "-1", "TimestampMs must be a whole number of Unix milliseconds")]
    [InlineData("TaskAge", "ten", "TaskAge must be a whole number")]
    [InlineData("TaskPriority", "99999999999", "TaskPriority must be a whole number")]
    [InlineData("TaskVersion", "1e3", "TaskVersion must be a whole number")]
    [InlineData("TaskDateCreated", "yesterday", "TaskDateCreated must be Unix seconds or an ISO-8601 time")]
    public void ParseForm_MalformedNumber_NamesIt(string field, string value, string message)
    {
        var error = SingleError(Fields("task.updated", (field, value)));

        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{\"supportType\":")]
    [InlineData("[1,2]")]
    public void ParseForm_MalformedTaskAttributes_NamesIt(string json)
    {
        var error = SingleError(Fields("task.created", ("TaskAttributes", json)));

        Assert.Equal("TaskAttributes", error.Field);
        Assert.StartsWith("TaskAttributes ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseForm_MalformedWorkerAttributes_NamesIt()
    {
        var error = SingleError(Fields("worker.attributes.update", ("WorkerAttributes", "not json")));

        Assert.Equal("WorkerAttributes", error.Field);
    }

    [Fact]
    public void ParseForm_NoTimestampMs_FallsBackToTimestampSeconds()
    {
        var fields = Fields("task.created", ("Timestamp", "1795474801"));
        fields.Remove("TimestampMs");

        var parsed = TaskRouterEventParser.ParseForm(fields).Event!;

        Assert.Equal(1795474801000L, parsed.TimestampMs);
    }

    [Fact]
    public void ParseForm_NoTimeAtAll_NamesTimestampMs()
    {
        var fields = Fields("task.created");
        fields.Remove("TimestampMs");

        var error = SingleError(fields);

        Assert.Equal("TimestampMs", error.Field);
    }

    [Fact]
    public void ParseForm_SeveralProblems_ReportsEveryOne()
    {
        var fields = Fields("reservation.accepted", ("Sid", "EVnope"), ("TaskAge", "x"));
        fields.Remove("ReservationSid");
        fields.Remove("WorkspaceSid");

        var result = TaskRouterEventParser.ParseForm(fields);

        Assert.Equal(["Sid", "WorkspaceSid", "TaskAge", "ReservationSid"], result.Errors.Select(e => e.Field).ToArray());
    }

    [Fact]
    public void ParseForm_UnknownEventType_GivesUnknownEventWithFields()
    {
        var result = TaskRouterEventParser.ParseForm(Fields("task.teleported", ("Extra", "1")));

        var parsed = Assert.IsType<UnknownEvent>(result.Event);
        Assert.Equal(TaskRouterEventType.Unknown, parsed.Type);
        Assert.Equal("task.teleported", parsed.EventType);
        Assert.Equal("EV0123456789abcdef0123456789abcdef", parsed.Sid);
        Assert.Equal(1795474800123L, parsed.TimestampMs);
        Assert.Equal("1", parsed.Fields["Extra"]);
    }

    [Fact]
    public void ParseForm_EveryKnownType_MapsToItsRecord()
    {
        foreach (var name in TaskRouterEventTypes.KnownNames)
        {
            var type = TaskRouterEventTypes.Parse(name);
            var result = TaskRouterEventParser.ParseForm(Fields(name));
            Assert.True(result.IsSuccess, name + ": " + string.Join("; ", result.Errors));
            var expected = name switch
            {
                _ when name.StartsWith("task.transfer-", StringComparison.Ordinal) => typeof(TransferEvent),
                _ when name.StartsWith("reservation.", StringComparison.Ordinal) => typeof(ReservationEvent),
                _ when name.StartsWith("worker.", StringComparison.Ordinal) => typeof(WorkerEvent),
                "task-queue.created" or "task-queue.deleted" or "task-queue.expression.updated" or "task-queue.expression-updated" => typeof(TaskQueueEvent),
                _ when name.StartsWith("task.", StringComparison.Ordinal) || name.StartsWith("task-queue.", StringComparison.Ordinal) => typeof(TaskEvent),
                "workflow.entered" or "workflow.target-matched" or "workflow.timeout" or "workflow.skipped" or "workflow.rejected" => typeof(TaskEvent),
                _ => typeof(ConfigurationEvent),
            };
            Assert.IsType(expected, result.Event);
            Assert.Equal(type, result.Event!.Type);
        }
    }
}
