using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.TaskRouterRest;
using LifelineRealtime.Storage.Access;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tasks;

/// <summary>What an admin asks: why (required) and, optionally, the status they saw and confirmed.</summary>
/// <param name="Reason">Why the task is changed; trimmed, 1–250 characters. TaskRouter logs it with the task.</param>
/// <param name="ExpectedStatus">
/// The status the admin confirmed (the page sends the row's). When TaskRouter holds the task in another status the
/// fix is not sent (409): what was confirmed is what is changed.
/// </param>
public sealed record TaskFixRequest(string? Reason, string? ExpectedStatus);

/// <summary>What is wrong with a request's body, naming the field (<c>body</c> when it is not a JSON object at all).</summary>
public sealed record BodyProblem(string Field, string Message);

/// <summary>A fix TaskRouter applied.</summary>
/// <param name="Platform">The platform id.</param>
/// <param name="TaskSid">The task.</param>
/// <param name="Action"><c>cancel</c> or <c>complete</c>.</param>
/// <param name="PreviousStatus">The status TaskRouter held the task in when it was read.</param>
/// <param name="Status">The status TaskRouter answered after the change.</param>
/// <param name="Reason">The reason sent (trimmed).</param>
/// <param name="Note">The engine's own lists do not change yet: they follow when TaskRouter's event arrives.</param>
public sealed record TaskFixResult(string Platform, string TaskSid, string Action, string PreviousStatus, string Status, string Reason, string Note);

/// <summary>How one attempt ended, as the API answers it and the audit, the log and the counter record it.</summary>
/// <param name="Outcome">The counter's tag: ok, denied, invalid, conflict, refused, not_found, unauthorized, rate_limited, unavailable.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="Title">The problem's title.</param>
/// <param name="Detail">What happened, in words the admin can act on.</param>
/// <param name="Field">The request field at fault, for a 400.</param>
/// <param name="Result">The fix, when TaskRouter made it.</param>
/// <param name="Extensions">Twilio's status and error code, TaskRouter's status of the task, where known.</param>
public sealed record TaskFixOutcome(string Outcome, int Status, string Title, string Detail, string? Field = null, TaskFixResult? Result = null,
    IReadOnlyDictionary<string, object?>? Extensions = null);

/// <summary>
/// Cancels or completes a task in TaskRouter for an admin: reads the task (and its ETag), then asks for the change
/// with <c>If-Match</c> on that ETag, so a task someone else changed in between is left alone (409, never retried).
/// The engine's registry is not touched: it follows TaskRouter's event through the webhook like any other change.
/// Every attempt is audited, logged and counted, refusals and failures included.
/// </summary>
public sealed partial class TaskFixer(
    PlatformCatalog platforms,
    IOptions<AuthOptions> auth,
    ITaskRouterRest taskRouter,
    AuditTrail audit,
    TaskFixInstruments instruments,
    ILogger<TaskFixer> logger)
{
    public const string Pending = "sent; the list updates when TaskRouter's event arrives";

    public async Task<TaskFixOutcome> FixAsync(ClaimsPrincipal user, string platformId, string taskSid, TaskFix fix,
        Func<CancellationToken, Task<(TaskFixRequest? Request, BodyProblem? Problem)>> readBody, CancellationToken cancellationToken)
    {
        var action = TaskFixRules.Name(fix);
        var actor = AuditTrail.ActorOf(user);
        var known = platforms.TryGet(platformId, out var platform);
        string? reason = null;
        var outcome = await DecideAsync();
        instruments.Attempted(known ? platformId : "unknown", action, outcome.Outcome);
        await audit.RecordAsync(actor, fix == TaskFix.Cancel ? AuditActions.TaskCanceled : AuditActions.TaskCompleted, $"{platformId}/{taskSid}",
            outcome.Outcome switch { "ok" => "ok", "denied" => "denied", _ => "failed" },
            outcome.Outcome == "ok" ? $"{outcome.Result!.PreviousStatus} → {outcome.Result.Status}; reason: {reason}"
                : $"{outcome.Outcome}: {outcome.Detail}" + (string.IsNullOrEmpty(reason) ? "" : $"; reason: {reason}"));
        return outcome;

        async Task<TaskFixOutcome> DecideAsync()
        {
            if (!TaskFixRules.MayFix(user, auth.Value))
            {
                TaskActionsLog.Denied(logger, action, taskSid, platformId, actor);
                return Problem("denied", StatusCodes.Status403Forbidden, "Not allowed", $"only {Roles.Admin} may {action} a task in TaskRouter");
            }

            if (!known)
            {
                return Problem("invalid", StatusCodes.Status404NotFound, "Unknown platform", $"platform '{platformId}' is not configured");
            }

            if (!TaskSid().IsMatch(taskSid))
            {
                return Problem("invalid", StatusCodes.Status400BadRequest, "Bad 'taskSid'", $"taskSid '{taskSid}' is not a TaskRouter task Sid (WT and 32 hex digits)", "taskSid");
            }

            // The body is read only for an admin, on a known platform and task.
            var (request, bodyProblem) = await readBody(cancellationToken);
            reason = request?.Reason?.Trim();
            if (bodyProblem is not null)
            {
                return Problem("invalid", StatusCodes.Status400BadRequest, $"Bad '{bodyProblem.Field}'", bodyProblem.Message, bodyProblem.Field);
            }

            if (!TaskFixRules.TryReason(request?.Reason, out var why, out var reasonProblem))
            {
                return Problem("invalid", StatusCodes.Status400BadRequest, "Bad 'reason'", reasonProblem, "reason");
            }

            TaskRouterTask task;
            try
            {
                task = await taskRouter.FetchTaskAsync(platformId, taskSid, cancellationToken);
            }
            catch (TaskRouterRestException e)
            {
                return Failed(e, read: true);
            }

            if (string.IsNullOrEmpty(task.ETag))
            {
                return Problem("unavailable", StatusCodes.Status502BadGateway, "TaskRouter gave no ETag",
                    $"TaskRouter answered task {taskSid} without an ETag, so the change could not be guarded by If-Match; nothing was sent");
            }

            var expected = request?.ExpectedStatus?.Trim();
            if (!string.IsNullOrEmpty(expected) && !string.Equals(expected, task.AssignmentStatus, StringComparison.Ordinal))
            {
                var detail = $"the task is {task.AssignmentStatus} in TaskRouter, not {expected} as confirmed; reload and decide again. Nothing was sent.";
                TaskActionsLog.Conflict(logger, action, taskSid, platformId, actor, $"{expected} confirmed, {task.AssignmentStatus} now");
                return Problem("conflict", StatusCodes.Status409Conflict, "The task changed in TaskRouter", detail,
                    extensions: new Dictionary<string, object?> { ["taskRouterStatus"] = task.AssignmentStatus, ["expectedStatus"] = expected });
            }

            TaskRouterTask updated;
            try
            {
                updated = await taskRouter.UpdateTaskAsync(platformId, taskSid, fix, why, task.ETag, cancellationToken);
            }
            catch (TaskRouterRestException e)
            {
                return Failed(e, read: false, task.AssignmentStatus);
            }

            TaskActionsLog.Fixed(logger, action, taskSid, platformId, actor, updated.AssignmentStatus);
            var result = new TaskFixResult(platform.Id, taskSid, action, task.AssignmentStatus, updated.AssignmentStatus, why, Pending);
            return new TaskFixOutcome("ok", StatusCodes.Status200OK, "Sent", Pending, Result: result);
        }

        TaskFixOutcome Failed(TaskRouterRestException e, bool read, string? status = null)
        {
            var twilio = new Dictionary<string, object?> { ["twilioStatus"] = e.Status, ["twilioCode"] = e.Code, ["taskRouterStatus"] = status };
            var answered = e.Status is { } s ? $"TaskRouter answered {s.ToString(CultureInfo.InvariantCulture)}" : "TaskRouter did not answer";
            var (tag, code, title, detail) = e.Failure switch
            {
                TaskRouterFailure.Conflict => ("conflict", StatusCodes.Status409Conflict, "The task changed in TaskRouter",
                    "the task changed in TaskRouter since it was read; reload and decide again. Nothing was changed."),
                TaskRouterFailure.Refused => ("refused", StatusCodes.Status422UnprocessableEntity, "TaskRouter refused the change",
                    $"TaskRouter refused to {action} the task{(status is null ? "" : $" (it is {status})")}: {TwilioMessage(e)}"),
                TaskRouterFailure.NotFound => ("not_found", StatusCodes.Status404NotFound, "Unknown task in TaskRouter",
                    $"TaskRouter holds no task {taskSid} in {platformId}'s workspace: it may have ended and been removed; the list updates when TaskRouter's event arrives"),
                TaskRouterFailure.Unauthorized => ("unauthorized", StatusCodes.Status502BadGateway, "TaskRouter refused the engine's credentials",
                    $"{answered}: the platform's credentials (Lifeline:Platforms auth token or API key) were not accepted; nothing was changed"),
                TaskRouterFailure.RateLimited => ("rate_limited", StatusCodes.Status503ServiceUnavailable, "TaskRouter is rate-limiting the account",
                    $"{answered} (too many requests) after the retries; nothing was changed; try again in a minute"),
                _ => ("unavailable", read ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway, "TaskRouter is unavailable",
                    read ? $"{answered} when the task was read; nothing was sent: {TwilioMessage(e)}"
                         : $"{answered} to the change, which was not tried again: it may or may not have been made; reload before deciding again ({TwilioMessage(e)})"),
            };
            if (tag == "conflict")
            {
                TaskActionsLog.Conflict(logger, action, taskSid, platformId, actor, $"If-Match refused, status {e.Status}");
            }
            else
            {
                TaskActionsLog.Failed(logger, action, taskSid, platformId, actor, tag, e.Status, e.Code);
            }

            return Problem(tag, code, title, detail, extensions: twilio);
        }
    }

    /// <summary>Twilio's own words: the message after the engine's "TaskRouter answered …:" prefix.</summary>
    private static string TwilioMessage(TaskRouterRestException e)
    {
        var message = e.Message;
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? message[(colon + 2)..] : message;
    }

    private static TaskFixOutcome Problem(string outcome, int status, string title, string detail, string? field = null, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(outcome, status, title, detail, field, null, extensions);

    [GeneratedRegex("^WT[0-9a-fA-F]{32}$")]
    private static partial Regex TaskSid();
}
