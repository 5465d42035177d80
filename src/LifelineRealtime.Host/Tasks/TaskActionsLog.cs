namespace LifelineRealtime.Host.Tasks;

/// <summary>The task fixes' log lines (event ids 9101–9199). Never the reason: an admin's words may name a person.</summary>
internal static partial class TaskActionsLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "TaskRouter {Action} of task {TaskSid} on platform {Platform} by {Actor}: TaskRouter now holds it {Status}")]
    public static partial void Fixed(ILogger logger, string action, string taskSid, string platform, string actor, string status);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Refused a {Action} of task {TaskSid} on platform {Platform} by {Actor}: only lifeline.admin may fix tasks")]
    public static partial void Denied(ILogger logger, string action, string taskSid, string platform, string actor);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Did not {Action} task {TaskSid} on platform {Platform} for {Actor}: it changed in TaskRouter since it was read ({Detail})")]
    public static partial void Conflict(ILogger logger, string action, string taskSid, string platform, string actor, string detail);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "TaskRouter did not {Action} task {TaskSid} on platform {Platform} for {Actor}: {Failure}, status {Status}, Twilio error {Code}")]
    public static partial void Failed(ILogger logger, string action, string taskSid, string platform, string actor, string failure, int? status, int? code);
}
