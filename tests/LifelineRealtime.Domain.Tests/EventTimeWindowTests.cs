using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Domain.Tests;

public sealed class EventTimeWindowTests
{
    private const long Now = 1_795_474_800_000;
    private static readonly long NotBefore = EventTimeWindow.DefaultNotBefore.ToUnixTimeMilliseconds();
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    [Theory]
    [InlineData(0L, false)]
    [InlineData(-1L, false)]
    [InlineData(long.MinValue, false)]
    [InlineData(long.MaxValue, false)]
    [InlineData(100_000_000_000_000_000L, false)]
    [InlineData(253_402_300_799_999L, false)]
    [InlineData(Now, true)]
    public void Check_EventTime(long timeMs, bool accepted)
    {
        var violation = EventTimeWindow.Default.Check(new TestEvents().Created("WT1", timeMs, "imminent"), Now);

        Assert.Equal(accepted, violation is null);
        if (!accepted)
        {
            Assert.Equal(EventTimeField.Timestamp, violation!.Field);
        }
    }

    [Fact]
    public void Check_EdgesOfTheWindow_AreExact()
    {
        var events = new TestEvents();
        Assert.Null(EventTimeWindow.Default.Check(events.Created("WT1", NotBefore, "imminent"), Now));
        Assert.NotNull(EventTimeWindow.Default.Check(events.Created("WT1", NotBefore - 1, "imminent"), Now));
        Assert.Null(EventTimeWindow.Default.Check(events.Created("WT1", Now + Hour, "imminent"), Now));
        Assert.NotNull(EventTimeWindow.Default.Check(events.Created("WT1", Now + Hour + 1, "imminent"), Now));
    }

    [Fact]
    public void Check_TaskCreatedBeforeTheWindow_NamesTaskDateCreated()
    {
        var created = new TestEvents().Created("WT1", Now, "imminent");
        var e = created with { Task = created.Task with { DateCreatedMs = 86_400_000 } };

        Assert.Equal(EventTimeField.TaskDateCreated, EventTimeWindow.Default.Check(e, Now)?.Field);
    }

    [Fact]
    public void Check_TimeInPreviousActivityReachingBeforeTheWindow_NamesIt()
    {
        var events = new TestEvents();
        Assert.Null(EventTimeWindow.Default.Check(events.Activity("WK1", "Team A", Now, "Available", "Offline", Now - NotBefore), Now));

        var violation = EventTimeWindow.Default.Check(events.Activity("WK1", "Team A", Now, "Available", "Offline", Now - NotBefore + 1), Now);

        Assert.Equal(EventTimeField.TimeInPreviousActivity, violation?.Field);
    }

    [Fact]
    public void EnsureComputable_OutsideTheCalendar_ThrowsBeforeAnythingUsesIt()
    {
        EventTimeWindow.EnsureComputable(Now);
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTimeWindow.EnsureComputable(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTimeWindow.EnsureComputable(EventTimeWindow.ComputableUntilMs));
        Assert.Equal(EventTimeWindow.ComputableUntilMs, new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }

    [Fact]
    public void TryDecodeForm_EscapesThatAreNotUtf8_NamesTheField()
    {
        Assert.True(TaskRouterEventParser.TryDecodeForm("A=%C3%A9&B=x", out var fields, out _));
        Assert.Equal("é", fields["A"]);

        Assert.False(TaskRouterEventParser.TryDecodeForm("A=ok&B=%FF%FE", out _, out var error));
        Assert.Equal("B", error.Field);
        Assert.False(TaskRouterEventParser.TryDecodeForm("%C3=1", out _, out error));
        Assert.Equal("body", error.Field);
    }

    [Fact]
    public void ParseCloudEvent_UnpairedSurrogateEscape_IsAFieldErrorNotAnException()
    {
        var result = TaskRouterEventParser.ParseCloudEvent("""{"type":"com.twilio.taskrouter.task.created","data":{"payload":{"sid":"EV1","task_attributes":"\ud800"}}}""");

        Assert.False(result.IsSuccess);
        Assert.Equal("body", result.Errors[0].Field);
    }
}
