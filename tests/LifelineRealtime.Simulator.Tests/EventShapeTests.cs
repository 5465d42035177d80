using System.Text.Json;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Simulator.Tests;

public sealed class EventShapeTests
{
    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio", name);

    [Theory]
    [InlineData("01-task.created.form")]
    [InlineData("02-reservation.created.form")]
    [InlineData("03-reservation.timeout.form")]
    [InlineData("04-worker.activity.update.form")]
    [InlineData("06-reservation.rejected.form")]
    [InlineData("08-reservation.accepted.form")]
    [InlineData("09-task.wrapup.form")]
    [InlineData("10-reservation.wrapup.form")]
    [InlineData("11-task.completed.form")]
    [InlineData("12-reservation.completed.form")]
    [InlineData("13-task.canceled.form")]
    [InlineData("14-task.transfer-initiated.form")]
    public void SimulatedEvents_OfAFixturesType_CarryTheFixturesFieldsInItsOrder(string fixture)
    {
        var fixtureFields = FormBody.Decode(File.ReadAllText(FixturePath(fixture)).Trim());
        var eventType = fixtureFields.Single(f => f.Key == "EventType").Value;
        var channel = fixtureFields.FirstOrDefault(f => f.Key == "TaskChannelUniqueName").Value;
        var platform = channel == "voice" ? "ciss" : "digi";
        var (events, _) = SimulatedDays.Day();

        var samples = events.Where(e => e.PlatformId == platform && e.Form.Contains("EventType=" + eventType + "&", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(samples);
        var expected = fixtureFields.Select(f => f.Key).ToList();
        Assert.All(samples, e => Assert.Equal(expected, FormBody.Decode(e.Form).Select(f => f.Key).ToList()));
    }

    [Fact]
    public void SimulatedDay_EveryEvent_ParsesWithTheEngineParserAsItsType()
    {
        var (events, _) = SimulatedDays.Day();

        foreach (var e in events)
        {
            var fields = e.Fields();
            var result = TaskRouterEventParser.ParseFormBody(e.Form);

            Assert.True(result.IsSuccess, $"{fields["EventType"]}: {string.Join("; ", result.Errors)}");
            Assert.Equal(fields["Sid"], result.Event!.Sid);
            Assert.Equal(e.TimestampMs, result.Event.TimestampMs);
            Assert.NotEqual(TaskRouterEventType.Unknown, result.Event.Type);
        }
    }

    [Fact]
    public void SimulatedDay_CoversEveryBehaviourTheEngineMustHandle()
    {
        var (events, truth) = SimulatedDays.Day();
        var typesByPlatform = events.GroupBy(e => e.PlatformId).ToDictionary(g => g.Key, g => g.Select(e => e.Fields()["EventType"]).ToHashSet());
        string[] common =
        [
            "task.created", "task-queue.entered", "reservation.created", "reservation.accepted", "reservation.rejected",
            "reservation.timeout", "reservation.canceled", "reservation.wrapup", "reservation.completed", "task.wrapup",
            "task.completed", "task.canceled", "worker.activity.update",
        ];

        Assert.All(common, t => Assert.Contains(t, typesByPlatform["ciss"]));
        Assert.All(common, t => Assert.Contains(t, typesByPlatform["digi"]));
        Assert.Contains("task.transfer-initiated", typesByPlatform["ciss"]);
        Assert.DoesNotContain("task.transfer-initiated", typesByPlatform["digi"]);
        Assert.Contains(truth.Tasks, t => t.PlatformId == "ciss" && t.TransferKind == "WARM");
        Assert.Contains(truth.Tasks, t => t.PlatformId == "ciss" && t.TransferKind == "COLD");
        Assert.Contains(truth.Tasks, t => t.PlatformId == "digi" && t.TransferKind == "CHAT");
        Assert.Contains(truth.Tasks, t => t.Stuck && t.WrapMs > 15 * 60_000);
        Assert.Contains(truth.Tasks, t => t.Outcome == TaskOutcome.Completed && t.WrapMs is null);
        Assert.Contains(truth.Tasks, t => t.AbandonedWaitMs <= 10_000);
        Assert.Contains(truth.Tasks, t => t.Reservations >= 3 && t.WaitMs is not null);
        Assert.Contains(truth.Tasks, t => t.PlatformId == "digi" && t.SupportType == "technical_support");
        Assert.DoesNotContain(truth.Tasks, t => t.PlatformId == "ciss" && t.SupportType == "technical_support");
        var urgent = truth.Tasks.Count(t => t.SupportType is "imminent" or "safety");
        Assert.InRange(urgent, 1, truth.Tasks.Count(t => t.SupportType == "support") / 3);
        var activities = events.Where(e => e.Form.Contains("EventType=worker.activity.update", StringComparison.Ordinal))
            .Select(e => e.Fields()["WorkerActivityName"]).ToHashSet();
        Assert.Equal(["Available", "Break", "Offline", "Training", "Unavailable"], activities.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ChatTransfer_NewTask_CarriesTransferMetaOfTheOriginal()
    {
        var (events, truth) = SimulatedDays.Day();
        var transferred = truth.Tasks.First(t => t.OriginalTaskSid is not null);
        var original = truth.Task("digi", transferred.OriginalTaskSid!);
        var created = events.Single(e => e.Form.Contains("EventType=task.created&", StringComparison.Ordinal) && e.Fields()["TaskSid"] == transferred.TaskSid);

        using var attributes = JsonDocument.Parse(created.Fields()["TaskAttributes"]);
        var meta = attributes.RootElement.GetProperty("transferMeta");

        Assert.Equal(original.TaskSid, meta.GetProperty("originalTask").GetString());
        Assert.Equal(original.AcceptedReservationSid, meta.GetProperty("originalReservation").GetString());
        Assert.Equal("COLD", meta.GetProperty("mode").GetString());
        Assert.StartsWith("CH", attributes.RootElement.GetProperty("conversationSid").GetString(), StringComparison.Ordinal);
        Assert.True(original.Transferred);
        Assert.Equal(TaskOutcome.Completed, original.Outcome);
    }

    [Fact]
    public void Rona_IsFollowedByTheWorkerGoingOffline()
    {
        var (events, _) = SimulatedDays.Day();
        var list = events.ToList();
        var timeouts = list.Select((e, i) => (e, i)).Where(x => x.e.Form.Contains("EventType=reservation.timeout&", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(timeouts);
        foreach (var (timeout, index) in timeouts)
        {
            var worker = timeout.Fields()["WorkerSid"];
            var next = list.Skip(index + 1).First(e => e.Form.Contains("EventType=worker.activity.update", StringComparison.Ordinal) && e.Fields()["WorkerSid"] == worker);
            Assert.Equal("Offline", next.Fields()["WorkerActivityName"]);
            Assert.Equal(timeout.TimestampMs + 20, next.TimestampMs);
        }
    }
}
