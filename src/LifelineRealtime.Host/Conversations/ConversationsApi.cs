using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Conversations;

/// <summary>
/// <c>GET /api/platforms/{p}/conversations</c> (the list, newest first, cursor-paged, JSON or CSV) and
/// <c>GET /api/platforms/{p}/conversations/{taskSid}</c> (one record). Who sees which conversations, and whether
/// with CS names, is <see cref="IScopeAccess.Conversations"/>; every request by a person is audited.
/// </summary>
public static class ConversationsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxDays = 400;

    public static IEndpointRouteBuilder MapConversations(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/platforms/{platformId}/conversations").WithTags("Conversations")
            .RequireAuthorization(AccessExtensions.PersonPolicy);
        group.MapGet("", ListAsync)
            .WithName("GetConversations")
            .WithSummary("The platform's conversations, newest first: one row per task with its CS and ISS, offers, times, durations and outcome.")
            .WithDescription($"from, to: local dates YYYY-MM-DD, inclusive (default the last 7 days), at most {MaxDays} days; team, worker (WorkerSid), supportType, "
                + "outcome (open, handled, abandoned, short_abandoned, transferred), q (a task, conversation or call Sid, exactly); "
                + $"cursor: the previous page's next; limit 1–{MaxLimit} (default {DefaultLimit}); format json (default) or csv.")
            .Produces<ConversationPage>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{taskSid}", GetAsync)
            .WithName("GetConversation")
            .WithSummary("One conversation by its task Sid, with every journaled event of its task in order.")
            .Produces<Tasks.TaskDetail>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    public static async Task<Results<JsonHttpResult<ConversationPage>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext http, string platformId, PlatformCatalog platforms, IScopeAccess access, IConversationStore store, CustomerPseudonyms pseudonyms,
        AuditTrail audit, TimeProvider time, string? from, string? to, string? team, string? worker, string? supportType, string? outcome,
        string? q, string? cursor, int? limit, string? format)
    {
        if (await GrantAsync(http, platformId, platforms, access) is not var (settings, grant))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        if (!grant.Allowed)
        {
            return Forbidden(platformId);
        }

        var today = settings.LocalDate(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!TryDate(from, today.AddDays(-6), out var first))
        {
            return ApiProblems.BadParameter("from", $"from '{from}' is not a date of the form YYYY-MM-DD from {MetricWindow.SupportedDates}");
        }

        if (!TryDate(to, today, out var last))
        {
            return ApiProblems.BadParameter("to", $"to '{to}' is not a date of the form YYYY-MM-DD from {MetricWindow.SupportedDates}");
        }

        var days = last.DayNumber - first.DayNumber + 1;
        if (days < 1 || days > MaxDays)
        {
            return ApiProblems.BadParameter("to", days < 1 ? $"to {last:yyyy-MM-dd} is before from {first:yyyy-MM-dd}" : $"from {first:yyyy-MM-dd} to {last:yyyy-MM-dd} spans {days} days; at most {MaxDays}");
        }

        ConversationOutcome? wanted = null;
        if (outcome is not null)
        {
            if (!Enum.GetValues<ConversationOutcome>().Any(o => SqliteConversationStore.OutcomeName(o) == outcome))
            {
                return ApiProblems.BadParameter("outcome", $"outcome '{outcome}' is not one of {string.Join(", ", Enum.GetValues<ConversationOutcome>().Select(SqliteConversationStore.OutcomeName))}");
            }

            wanted = Enum.GetValues<ConversationOutcome>().First(o => SqliteConversationStore.OutcomeName(o) == outcome);
        }

        if (supportType is not null && settings.SupportTypeIndex(supportType) < 0)
        {
            return ApiProblems.BadParameter("supportType", $"supportType '{supportType}' is not one of {string.Join(", ", settings.SupportTypes)}");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadParameter("limit", $"limit {limit} is not between 1 and {MaxLimit}");
        }

        ConversationPosition? after = null;
        if (cursor is not null)
        {
            if (Cursor.Read(cursor) is not { } position)
            {
                return ApiProblems.BadParameter("cursor", "cursor is not one this list gave");
            }

            after = position;
        }

        var csv = format switch { null or "json" => false, "csv" => true, _ => (bool?)null };
        if (csv is null)
        {
            return ApiProblems.BadParameter("format", $"format '{format}' is not one of json, csv");
        }

        // A team leader's list is their teams'; asking for another team is refused, not answered empty.
        IReadOnlyCollection<string>? teams = grant.Teams;
        if (team is not null)
        {
            if (grant.Teams is { } own && !own.Contains(team))
            {
                return Forbidden(platformId);
            }

            teams = [team];
        }

        var take = limit ?? DefaultLimit;
        var rows = await store.QueryAsync(new ConversationQuery(
            platformId, settings.LocalDayStartMs(first), settings.LocalDayStartMs(last.AddDays(1)), take + 1, after, teams, worker, supportType, wanted, q), http.RequestAborted);
        var page = rows.Take(take).Select(r => View(r.Record, settings, grant, pseudonyms)).ToImmutableArray();
        var next = rows.Count > take ? Cursor.Write(new ConversationPosition(rows[take - 1].SortMs, rows[take - 1].Record.TaskSid)) : null;
        await audit.RecordAsync(http.User, AuditActions.ConversationsListed, platformId, "ok", $"{http.Request.Path}{http.Request.QueryString}; {page.Length} rows");
        if (csv.Value)
        {
            http.Response.Headers["X-Next-Cursor"] = next ?? "";
            return TypedResults.Text(ConversationsCsv.Write(page), ConversationsCsv.ContentType);
        }

        return TypedResults.Json(new ConversationPage(platformId, first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), page.Length, next, page), LifelineJson.Options);
    }

    public static async Task<Results<JsonHttpResult<Tasks.TaskDetail>, ProblemHttpResult>> GetAsync(
        HttpContext http, string platformId, string taskSid, PlatformCatalog platforms, IScopeAccess access, IConversationStore store, CustomerPseudonyms pseudonyms,
        AuditTrail audit, IGrainFactory grains)
    {
        if (await GrantAsync(http, platformId, platforms, access) is not var (settings, grant))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        if (!grant.Allowed)
        {
            return Forbidden(platformId);
        }

        var row = await store.GetAsync(platformId, taskSid, http.RequestAborted);
        if (row is null || (grant.Teams is { } own && (row.Record.Team is null || !own.Contains(row.Record.Team))))
        {
            // Another team's conversation answers as one that does not exist: a team leader learns nothing of it.
            await audit.RecordAsync(http.User, AuditActions.ConversationViewed, $"{platformId}/{taskSid}", row is null ? "not found" : "denied");
            return TypedResults.Problem(title: "Unknown conversation", detail: $"no conversation of task '{taskSid}' on platform '{platformId}'", statusCode: StatusCodes.Status404NotFound);
        }

        await audit.RecordAsync(http.User, AuditActions.ConversationViewed, $"{platformId}/{taskSid}", "ok");
        var events = await grains.GetGrain<Abstractions.Grains.ITaskGrain>(new Abstractions.Keys.EntityKey(platformId, taskSid).ToGrainKey()).GetHistoryAsync();
        return TypedResults.Json(new Tasks.TaskDetail(platformId, taskSid, View(row.Record, settings, grant, pseudonyms), Tasks.TasksApi.Shown(events, grant.CustomerNames)), LifelineJson.Options);
    }

    /// <summary>The platform and what the caller may see of its conversations; null for a platform not configured or not granted (404).</summary>
    internal static async Task<(PlatformSettings Settings, ConversationGrant Grant)?> GrantAsync(HttpContext http, string platformId, PlatformCatalog platforms, IScopeAccess access)
    {
        ArgumentNullException.ThrowIfNull(http);
        return platforms.TryGet(platformId, out var settings) && await access.CanSeePlatformAsync(http.User, platformId, http.RequestAborted)
            ? (settings, access.Conversations(http.User, platformId))
            : null;
    }

    /// <summary>What a caller sees of a record: the CS name only when the grant allows it, else a pseudonym (or nothing).</summary>
    internal static ConversationView View(ConversationRecord r, PlatformSettings settings, ConversationGrant grant, CustomerPseudonyms pseudonyms)
    {
        static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
        static double? Seconds(long? ms) => ms is { } v ? v / 1000.0 : null;
        var customer = grant.CustomerNames ? r.CustomerName : pseudonyms.Of(r.Platform, r.CustomerIdentity ?? r.CustomerName);
        var transcript = grant.Transcripts && r.ConversationSid is not null
            ? $"/api/platforms/{Uri.EscapeDataString(r.Platform)}/conversations/{Uri.EscapeDataString(r.TaskSid)}/transcript"
            : null;
        return new ConversationView(
            r.Platform, r.TaskSid, r.TaskQueueSid, r.TaskQueueName, r.SupportType, r.Channel,
            customer, !grant.CustomerNames,
            r.ConversationSid, r.CallSid, r.ConferenceSid,
            r.WorkerSid, r.WorkerName, r.Team, r.TransferredToWorkerSids,
            [.. r.Reservations.Select(x => new ReservationView(x.ReservationSid, x.WorkerSid, x.WorkerName, x.Team, ReservationOutcomeName(x.Outcome), At(x.CreatedMs), At(x.AcceptedMs), At(x.EndedMs)))],
            At(r.CreatedMs), At(r.AcceptedMs), At(r.WrapupMs), At(r.CompletedMs), At(r.CanceledMs),
            Seconds(r.WaitMs), Seconds(r.TalkMs), Seconds(r.WrapMs), Seconds(r.HandleMs),
            SqliteConversationStore.OutcomeName(r.Outcome), transcript, settings.TimeZoneName);
    }

    private static string ReservationOutcomeName(ReservationOutcome outcome) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());

    private static ProblemHttpResult Forbidden(string platformId) => TypedResults.Problem(
        title: "Not allowed", detail: $"this sign-in may not read these conversations of platform '{platformId}'", statusCode: StatusCodes.Status403Forbidden);

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (text is null)
        {
            date = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && MetricWindow.IsSupportedDate(date);
    }

    /// <summary>An opaque position: base64url of the last row's order key and task Sid.</summary>
    internal static class Cursor
    {
        public static string Write(ConversationPosition position) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"c1:{position.SortMs.ToString(CultureInfo.InvariantCulture)}:{position.TaskSid}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static ConversationPosition? Read(string cursor)
        {
            try
            {
                var text = cursor.Replace('-', '+').Replace('_', '/');
                text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(text)).Split(':');
                return parts is ["c1", var ms, var sid] && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sortMs) && sid.Length > 0
                    ? new ConversationPosition(sortMs, sid)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

/// <summary>One page of the list; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record ConversationPage(string Platform, string From, string To, int Count, string? Next, ImmutableArray<ConversationView> Conversations);

public sealed record ReservationView(string ReservationSid, string? WorkerSid, string? WorkerName, string? Team, string Outcome, DateTimeOffset? Created, DateTimeOffset? Accepted, DateTimeOffset? Ended);

/// <summary>A conversation as the API answers it: instants in UTC, durations in seconds (the measures' own, design §5).</summary>
public sealed record ConversationView(
    string Platform,
    string TaskSid,
    string? TaskQueueSid,
    string? TaskQueueName,
    string SupportType,
    string Channel,
    string? CustomerName,
    bool CustomerPseudonymous,
    string? ConversationSid,
    string? CallSid,
    string? ConferenceSid,
    string? WorkerSid,
    string? WorkerName,
    string? Team,
    ImmutableArray<string> TransferredToWorkerSids,
    ImmutableArray<ReservationView> Reservations,
    DateTimeOffset? Created,
    DateTimeOffset? Accepted,
    DateTimeOffset? Wrapup,
    DateTimeOffset? Completed,
    DateTimeOffset? Canceled,
    double? WaitSeconds,
    double? TalkSeconds,
    double? WrapSeconds,
    double? HandleSeconds,
    string Outcome,
    string? TranscriptUrl,
    string TimeZone);
