using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Tasks;

/// <summary>
/// <c>GET /api/platforms/{p}/tasks/stuck</c> (tasks in one status past the platform's <c>StuckThresholds</c>, longest
/// first) and <c>GET /api/platforms/{p}/tasks/{taskSid}</c> (its Sids and every journaled event in order), for anyone
/// allowed the platform. A task's conversation (names, attributes) is shown only to those whose conversation grant
/// covers it (<see cref="IScopeAccess.Conversations"/>).
/// </summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/platforms/{platformId}/tasks").WithTags("Tasks").RequireAuthorization(AccessExtensions.PersonPolicy);
        group.MapGet("/stuck", StuckAsync)
            .WithName("GetStuckTasks")
            .WithSummary("Stuck tasks (in one status too long, pending while eligible workers are available, accepted with no worker event since; see StuckThresholds), longest stuck first, each with its reasons and Sids (at most Lifeline:Live:MaxListed; total beside).")
            .Produces<StuckTaskList>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{taskSid}", GetAsync)
            .WithName("GetTask")
            .WithSummary("One task: its conversation record where the caller may see it, and every journaled event in order.")
            .Produces<TaskDetail>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    public static async Task<Results<JsonHttpResult<StuckTaskList>, ProblemHttpResult>> StuckAsync(
        HttpContext http, string platformId, PlatformCatalog platforms, IScopeAccess access, IGrainFactory grains, IConversationStore store, CustomerPseudonyms pseudonyms)
    {
        if (await ConversationsApi.GrantAsync(http, platformId, platforms, access) is not var (settings, grant))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        var live = await grains.GetGrain<IStatsGrain>(StatsKey.Platform(platformId).ToGrainKey()).GetLiveAsync();
        var tasks = ImmutableArray.CreateBuilder<StuckTaskView>(live.Stuck.Length);
        foreach (var stuck in live.Stuck)
        {
            var row = await store.GetAsync(platformId, stuck.TaskSid, http.RequestAborted);
            tasks.Add(new StuckTaskView(stuck.TaskSid, stuck.Status, stuck.SecondsInStatus, stuck.TaskQueueSid, stuck.SupportType,
                row is not null && Covers(grant, row.Record.Team) ? ConversationsApi.View(row.Record, settings, grant, pseudonyms) : null,
                stuck.Since, stuck.Reasons.IsDefault ? [] : stuck.Reasons));
        }

        return TypedResults.Json(new StuckTaskList(platformId, live.AsOf, live.StuckTotal, tasks.ToImmutable()), LifelineJson.Options);
    }

    public static async Task<Results<JsonHttpResult<TaskDetail>, ProblemHttpResult>> GetAsync(
        HttpContext http, string platformId, string taskSid, PlatformCatalog platforms, IScopeAccess access, IGrainFactory grains,
        IConversationStore store, CustomerPseudonyms pseudonyms, AuditTrail audit)
    {
        if (await ConversationsApi.GrantAsync(http, platformId, platforms, access) is not var (settings, grant))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        var events = await grains.GetGrain<ITaskGrain>(new EntityKey(platformId, taskSid).ToGrainKey()).GetHistoryAsync();
        var row = await store.GetAsync(platformId, taskSid, http.RequestAborted);
        if (events.IsEmpty && row is null)
        {
            return TypedResults.Problem(title: "Unknown task", detail: $"no event has named task '{taskSid}' on platform '{platformId}'", statusCode: StatusCodes.Status404NotFound);
        }

        var covered = row is not null && Covers(grant, row.Record.Team);

        // A task's attributes name the CS: only for a caller who may see this conversation with names.
        var attributes = covered && grant.CustomerNames;
        await audit.RecordAsync(http.User, AuditActions.TaskViewed, $"{platformId}/{taskSid}", attributes ? "with attributes" : "without attributes");
        return TypedResults.Json(new TaskDetail(
            platformId,
            taskSid,
            covered ? ConversationsApi.View(row!.Record, settings, grant, pseudonyms) : null,
            Shown(events, attributes)), LifelineJson.Options);
    }

    /// <summary>A task's events as a caller sees them: the task's attributes (they name the CS) only with <paramref name="attributes"/>.</summary>
    internal static ImmutableArray<TaskEventInfo> Shown(ImmutableArray<TaskEventInfo> events, bool attributes) =>
        attributes ? events : [.. events.Select(e => e with { TaskAttributes = null })];

    private static bool Covers(ConversationGrant grant, string? team) => grant.Allowed && (grant.Teams is null || (team is not null && grant.Teams.Contains(team)));
}

/// <summary>A stuck task as listed: <see cref="Since"/> is when its longest-standing reason began; <see cref="Reasons"/> says why.</summary>
public sealed record StuckTaskView(
    string TaskSid, string Status, double SecondsInStatus, string? TaskQueueSid, string SupportType, ConversationView? Conversation,
    DateTimeOffset Since, ImmutableArray<StuckReason> Reasons);

public sealed record StuckTaskList(string Platform, DateTimeOffset AsOf, int Total, ImmutableArray<StuckTaskView> Tasks);

public sealed record TaskDetail(string Platform, string TaskSid, ConversationView? Conversation, ImmutableArray<TaskEventInfo> Events);
