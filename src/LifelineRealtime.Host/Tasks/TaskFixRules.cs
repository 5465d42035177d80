using System.Collections.Frozen;
using System.Security.Claims;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.TaskRouterRest;

namespace LifelineRealtime.Host.Tasks;

/// <summary>
/// The task-fix rules, the only copy: who may fix a stuck task, which fix each TaskRouter status takes, and what a
/// reason must be. The API answers them (<c>GET …/tasks/fixes</c>), so the page offers only what they allow.
/// </summary>
public static class TaskFixRules
{
    /// <summary>The longest reason TaskRouter is given (it logs it with the task).</summary>
    public const int MaxReasonLength = 250;

    /// <summary>
    /// The fix each status takes (twilio README §6.2): a task nobody has accepted (pending, reserved) is canceled,
    /// one a worker holds (assigned, wrapping) is completed. TaskRouter has the last word: a fix it refuses is
    /// answered with its own message, never assumed.
    /// </summary>
    public static readonly FrozenDictionary<string, TaskFix> ByStatus = new Dictionary<string, TaskFix>(StringComparer.Ordinal)
    {
        ["pending"] = TaskFix.Cancel,
        ["reserved"] = TaskFix.Cancel,
        ["assigned"] = TaskFix.Complete,
        ["wrapping"] = TaskFix.Complete,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Only a signed-in <c>lifeline.admin</c> (design §8), never a kiosk, and not in <c>Open</c> mode without one:
    /// Open mode serves reads; it changes nothing in TaskRouter.
    /// </summary>
    public static bool MayFix(ClaimsPrincipal user, AuthOptions auth) => Grant.Of(user, auth) is { IsAdmin: true, Kiosk: null };

    /// <summary>The fix for a status, if it takes one.</summary>
    public static TaskFix? For(string? status) => status is not null && ByStatus.TryGetValue(status, out var fix) ? fix : null;

    /// <summary>The fix as the API names it: <c>cancel</c>, <c>complete</c>.</summary>
    public static string Name(TaskFix fix) => fix == TaskFix.Cancel ? "cancel" : "complete";

    /// <summary>The status the fix asks TaskRouter for: <c>canceled</c>, <c>completed</c>.</summary>
    public static string TargetStatus(TaskFix fix) => fix == TaskFix.Cancel ? "canceled" : "completed";

    /// <summary>The reason trimmed, or why it cannot be sent.</summary>
    public static bool TryReason(string? reason, out string trimmed, out string problem)
    {
        trimmed = reason?.Trim() ?? "";
        problem = trimmed.Length switch
        {
            0 => "reason is required: say why the task is being changed (TaskRouter logs it with the task)",
            > MaxReasonLength => $"reason is {trimmed.Length} characters long; at most {MaxReasonLength}",
            _ => "",
        };
        return problem.Length == 0;
    }
}
