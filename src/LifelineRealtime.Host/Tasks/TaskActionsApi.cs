using System.Collections.Immutable;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.TaskRouterRest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tasks;

/// <summary>
/// <c>POST /api/platforms/{p}/tasks/{taskSid}/cancel</c> and <c>/complete</c> (an admin, with a reason: the change is
/// made in TaskRouter with <c>If-Match</c>, see <see cref="TaskFixer"/>), and <c>GET /api/platforms/{p}/tasks/fixes</c>
/// (whether the caller may fix tasks, and the fix each status takes), which the stuck-task page asks instead of guessing.
/// </summary>
public static class TaskActionsApi
{
    /// <summary>The largest body read: a reason of 250 characters and a status fit many times over.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    public static IHostApplicationBuilder AddTaskActions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TaskFixInstruments>();
        builder.Services.TryAddSingleton<TaskFixer>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTaskActions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/platforms/{platformId}/tasks").WithTags("Tasks");
        group.MapGet("/fixes", Fixes)
            .RequireAuthorization(AccessExtensions.PersonPolicy)
            .WithName("GetTaskFixes")
            .WithSummary("Whether the caller may cancel or complete this platform's tasks (lifeline.admin only), and the fix each TaskRouter status takes.")
            .Produces<TaskFixOptions>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Signed in is all the authorization asked here: the fixer decides who may act, so a refusal is a 403
        // problem naming the rule, and is audited like every other attempt.
        foreach (var (path, handler, name, summary) in (ValueTuple<string, Delegate, string, string>[])
        [
            ("/{taskSid}/cancel", CancelAsync, "CancelTask", "Cancels a task in TaskRouter (lifeline.admin, with a reason), only if it is unchanged since read (If-Match); the engine's lists follow TaskRouter's event."),
            ("/{taskSid}/complete", CompleteAsync, "CompleteTask", "Completes a task in TaskRouter (lifeline.admin, with a reason), only if it is unchanged since read (If-Match); the engine's lists follow TaskRouter's event."),
        ])
        {
            group.MapPost(path, handler)
                .RequireAuthorization(p => p.RequireAuthenticatedUser())
                .DisableAntiforgery()
                .WithName(name)
                .WithSummary(summary)
                .Accepts<TaskFixRequest>("application/json")
                .Produces<TaskFixResult>(StatusCodes.Status200OK)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
                .ProducesProblem(StatusCodes.Status502BadGateway)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }

        return endpoints;
    }

    public static Results<JsonHttpResult<TaskFixOptions>, ProblemHttpResult> Fixes(HttpContext http, string platformId, PlatformCatalog platforms, IOptions<AuthOptions> auth)
    {
        // An admin sees every platform; anyone else only theirs, and the others do not exist for them.
        var grant = Grant.Of(http.User, auth.Value);
        if (!platforms.TryGet(platformId, out _) || !(auth.Value.IsOpen || grant.HasPlatform(platformId)))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        var allowed = TaskFixRules.MayFix(http.User, auth.Value);
        return TypedResults.Json(new TaskFixOptions(
            platformId,
            allowed,
            TaskFixRules.ByStatus.OrderBy(s => s.Key, StringComparer.Ordinal).ToImmutableSortedDictionary(s => s.Key, s => TaskFixRules.Name(s.Value), StringComparer.Ordinal),
            TaskFixRules.MaxReasonLength,
            allowed ? AdminNote() : $"Only {Roles.Admin} may cancel or complete a task."), LifelineJson.Options);
    }

    /// <summary>"Cancel a pending or reserved task, complete an assigned or wrapping one…", from the rules themselves.</summary>
    private static string AdminNote()
    {
        static string Phrase(IGrouping<TaskFix, KeyValuePair<string, TaskFix>> fix)
        {
            var statuses = string.Join(" or ", fix.Select(s => s.Key).Order(StringComparer.Ordinal));
            return $"{TaskFixRules.Name(fix.Key)} {("aeiou".Contains(statuses[0], StringComparison.Ordinal) ? "an" : "a")} {statuses} task";
        }

        var each = TaskFixRules.ByStatus.GroupBy(s => s.Value).OrderBy(g => g.Key).Select(Phrase);
        return $"As an admin you may {string.Join(", ", each)}, with a reason. TaskRouter makes the change only if the task is unchanged since it was read (If-Match); the list updates when TaskRouter's event arrives.";
    }

    public static Task<Results<JsonHttpResult<TaskFixResult>, ProblemHttpResult>> CancelAsync(HttpContext http, string platformId, string taskSid, TaskFixer fixer) =>
        FixAsync(http, platformId, taskSid, TaskFix.Cancel, fixer);

    public static Task<Results<JsonHttpResult<TaskFixResult>, ProblemHttpResult>> CompleteAsync(HttpContext http, string platformId, string taskSid, TaskFixer fixer) =>
        FixAsync(http, platformId, taskSid, TaskFix.Complete, fixer);

    private static async Task<Results<JsonHttpResult<TaskFixResult>, ProblemHttpResult>> FixAsync(HttpContext http, string platformId, string taskSid, TaskFix fix, TaskFixer fixer)
    {
        var outcome = await fixer.FixAsync(http.User, platformId, taskSid, fix, ct => ReadAsync(http.Request, ct), http.RequestAborted);
        if (outcome.Result is { } result)
        {
            return TypedResults.Json(result, LifelineJson.Options);
        }

        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["action"] = TaskFixRules.Name(fix), ["outcome"] = outcome.Outcome };
        foreach (var (key, value) in outcome.Extensions ?? new Dictionary<string, object?>())
        {
            if (value is not null)
            {
                extensions[key] = value;
            }
        }

        if (outcome.Field is { } field)
        {
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [outcome.Detail] };
        }

        return TypedResults.Problem(statusCode: outcome.Status, title: outcome.Title, detail: outcome.Detail, extensions: extensions);
    }

    /// <summary>The JSON body <c>{ "reason": "…", "expectedStatus": "…" }</c>, or what is wrong with it (the reason's own rules are the fixer's).</summary>
    private static async Task<(TaskFixRequest? Request, BodyProblem? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.HasJsonContentType()))
        {
            return (null, null);
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, new BodyProblem("body", $"the body is {request.ContentLength} bytes; at most {MaxBodyBytes}"));
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new BodyProblem("body", "the body must be a JSON object: { \"reason\": \"…\" }"));
            }

            string? Text(string name, out string? wrong)
            {
                wrong = null;
                foreach (var property in root.EnumerateObject())
                {
                    if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        if (property.Value.ValueKind == JsonValueKind.String)
                        {
                            return property.Value.GetString();
                        }

                        if (property.Value.ValueKind != JsonValueKind.Null)
                        {
                            wrong = $"{name} must be a string";
                        }
                    }
                }

                return null;
            }

            var reason = Text("reason", out var badReason);
            var expected = Text("expectedStatus", out var badExpected);
            var bad = badReason ?? badExpected;
            return bad is null ? (new TaskFixRequest(reason, expected), null) : (null, new BodyProblem(badReason is null ? "expectedStatus" : "reason", bad));
        }
        catch (JsonException)
        {
            return (null, new BodyProblem("body", "the body is not JSON: send { \"reason\": \"…\" }"));
        }
    }
}

/// <summary>What the caller may do to a platform's tasks.</summary>
/// <param name="Platform">The platform id.</param>
/// <param name="Allowed">Whether the caller may cancel or complete tasks (lifeline.admin).</param>
/// <param name="ByStatus">The fix each TaskRouter status takes (<c>cancel</c>, <c>complete</c>); a status not listed takes none.</param>
/// <param name="MaxReasonLength">The longest reason accepted (after trimming).</param>
/// <param name="Note">What a fix does, or who may make one, in words.</param>
public sealed record TaskFixOptions(string Platform, bool Allowed, ImmutableSortedDictionary<string, string> ByStatus, int MaxReasonLength, string Note);
