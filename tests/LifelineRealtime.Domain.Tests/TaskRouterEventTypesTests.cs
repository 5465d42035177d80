using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Tests;

public sealed class TaskRouterEventTypesTests
{
    [Theory]
    [InlineData("task.created", TaskRouterEventType.TaskCreated)]
    [InlineData("reservation.timeout", TaskRouterEventType.ReservationTimeout)]
    [InlineData("task-queue.expression.updated", TaskRouterEventType.TaskQueueExpressionUpdated)]
    [InlineData("task-queue.expression-updated", TaskRouterEventType.TaskQueueExpressionUpdated)]
    [InlineData("worker.activity.update", TaskRouterEventType.WorkerActivityUpdate)]
    [InlineData("task.exploded", TaskRouterEventType.Unknown)]
    [InlineData(null, TaskRouterEventType.Unknown)]
    public void Parse_WireName_GivesType(string? name, TaskRouterEventType expected) =>
        Assert.Equal(expected, TaskRouterEventTypes.Parse(name));

    [Fact]
    public void Parse_EveryKnownName_IsNotUnknown() =>
        Assert.All(TaskRouterEventTypes.KnownNames, name => Assert.NotEqual(TaskRouterEventType.Unknown, TaskRouterEventTypes.Parse(name)));

    [Fact]
    public void Attributes_GetString_ReadsDottedPaths()
    {
        var attributes = TaskRouterAttributes.Parse("""{"supportType":"imminent","conversations":{"conversation_id":"CH1","n":3}}""");

        Assert.Equal("imminent", attributes.GetString("supportType"));
        Assert.Equal("CH1", attributes.GetString("conversations.conversation_id"));
        Assert.Equal("3", attributes.GetString("conversations.n"));
        Assert.Null(attributes.GetString("conversations"));
        Assert.Null(attributes.GetString("missing.path"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void Attributes_Parse_RejectsNonObjects(string json) =>
        Assert.Throws<FormatException>(() => TaskRouterAttributes.Parse(json));

    [Fact]
    public void Attributes_ToString_RevealsNoContent() =>
        Assert.DoesNotContain("Jamie", TaskRouterAttributes.Parse("""{"name":"Jamie Citizen"}""").ToString(), StringComparison.Ordinal);
}
