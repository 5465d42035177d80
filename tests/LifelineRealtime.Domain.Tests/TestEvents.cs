using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Tests;

/// <summary>Builds TaskRouter event records as the parser would, for one platform. Each instance numbers its own event Sids.</summary>
internal sealed class TestEvents(string accountSid = "AC0000000000000000000000000000d161", string workspaceSid = "WS0000000000000000000000000000d161")
{
    private int _next;

    public static PlatformOptions DigiOptions() => new()
    {
        Id = "digi",
        Name = "DIGI Central",
        Channel = "chat",
        TimeZone = "Australia/Sydney",
        SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support", "technical_support"],
        SupportTypeRules =
        [
            new SupportTypeRuleOptions { Attribute = "supportType" },
            new SupportTypeRuleOptions { QueueNamePattern = "(?i)(check_in|check_out|debrief|imminent|safety|technical_support|support)" },
        ],
        TeamAttribute = "team_name",
        OfflineActivities = ["Offline"],
        ServiceLevelSeconds = new() { ["imminent"] = 20, ["safety"] = 30, ["default"] = 60 },
        ShortAbandonSeconds = 10,
        UrgentWaitAlertSeconds = new() { ["imminent"] = 30, ["safety"] = 60 },
    };

    public static PlatformOptions CissOptions()
    {
        var options = DigiOptions();
        options.Id = "ciss";
        options.Name = "CISS Central";
        options.Channel = "voice";
        options.SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
        options.SupportTypeRules[1].QueueNamePattern = "(?i)(check_in|check_out|debrief|imminent|safety|support)";
        return options;
    }

    public static PlatformSettings Digi { get; } = PlatformSettings.Create(DigiOptions());

    public static PlatformSettings Ciss { get; } = PlatformSettings.Create(CissOptions());

    public static string TaskAttributes(string? supportType, string? originalTask = null)
    {
        var type = supportType is null ? "" : $"\"supportType\":\"{supportType}\",";
        var transfer = originalTask is null ? "" : $",\"transferMeta\":{{\"mode\":\"COLD\",\"originalTask\":\"{originalTask}\"}}";
        return $"{{{type}\"channelType\":\"web\",\"name\":\"Jamie Citizen\"{transfer}}}";
    }

    public static string WorkerAttributes(string? team) =>
        team is null ? "{\"full_name\":\"Someone\"}" : $"{{\"full_name\":\"Someone\",\"team_name\":\"{team}\"}}";

    public string NextSid() => $"EV{++_next:x32}";

    public TaskEvent Task(TaskRouterEventType type, string task, long timeMs, string? queueSid = null, string? queueName = null, string? attributes = null, long? version = null) => new()
    {
        Sid = NextSid(),
        EventType = Wire(type),
        Type = type,
        AccountSid = accountSid,
        WorkspaceSid = workspaceSid,
        ResourceType = "task",
        ResourceSid = task,
        TimestampMs = timeMs,
        Task = new TaskInfo
        {
            Sid = task,
            Attributes = attributes is null ? TaskRouterAttributes.Empty : TaskRouterAttributes.Parse(attributes),
            TaskQueueSid = queueSid,
            TaskQueueName = queueName,
            Version = version,
        },
    };

    public TaskEvent Created(string task, long timeMs, string? supportType, string? originalTask = null) =>
        Task(TaskRouterEventType.TaskCreated, task, timeMs, attributes: TaskAttributes(supportType, originalTask), version: 0);

    public ReservationEvent Reservation(TaskRouterEventType type, string task, string reservation, string? worker, string? team, long timeMs,
        string? queueSid = null, string? queueName = null, string? attributes = null) => new()
        {
            Sid = NextSid(),
            EventType = Wire(type),
            Type = type,
            AccountSid = accountSid,
            WorkspaceSid = workspaceSid,
            ResourceType = "reservation",
            ResourceSid = reservation,
            TimestampMs = timeMs,
            ReservationSid = reservation,
            Task = new TaskInfo
            {
                Sid = task,
                TaskQueueSid = queueSid,
                TaskQueueName = queueName,
                Attributes = attributes is null ? TaskRouterAttributes.Empty : TaskRouterAttributes.Parse(attributes),
            },
            Worker = worker is null ? null : new WorkerInfo { Sid = worker, Attributes = TaskRouterAttributes.Parse(WorkerAttributes(team)) },
        };

    public TransferEvent Transfer(string task, long timeMs, string? initiatingReservation, string? queueSid = null) => new()
    {
        Sid = NextSid(),
        EventType = "task.transfer-initiated",
        Type = TaskRouterEventType.TaskTransferInitiated,
        AccountSid = accountSid,
        WorkspaceSid = workspaceSid,
        ResourceType = "transfer",
        TimestampMs = timeMs,
        Task = new TaskInfo { Sid = task, TaskQueueSid = queueSid },
        TransferMode = "COLD",
        TransferInitiatingReservationSid = initiatingReservation,
    };

    public WorkerEvent Activity(string worker, string? team, long timeMs, string activity, string? previous, long? previousMs) => new()
    {
        Sid = NextSid(),
        EventType = "worker.activity.update",
        Type = TaskRouterEventType.WorkerActivityUpdate,
        AccountSid = accountSid,
        WorkspaceSid = workspaceSid,
        ResourceType = "worker",
        ResourceSid = worker,
        TimestampMs = timeMs,
        Worker = new WorkerInfo { Sid = worker, ActivityName = activity, Attributes = TaskRouterAttributes.Parse(WorkerAttributes(team)) },
        PreviousActivityName = previous,
        TimeInPreviousActivityMs = previousMs,
    };

    private static string Wire(TaskRouterEventType type)
    {
        foreach (var name in TaskRouterEventTypes.KnownNames)
        {
            if (TaskRouterEventTypes.Parse(name) == type)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(type));
    }
}
