using System.Collections.Immutable;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Storage.Access;
using LifelineRealtime.Storage.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Conversations;

/// <summary>
/// <c>GET /api/platforms/{p}/conversations/{taskSid}/transcript</c>: a chat's messages read from Twilio now (nothing
/// kept on disk), authors told apart as CS, ISS and system; a voice call says no transcript is held. Only roles that
/// may open transcripts (design §8) get one, and every request is audited as <c>transcript.viewed</c>.
/// </summary>
public static class TranscriptApi
{
    public static IEndpointRouteBuilder MapTranscripts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/platforms/{platformId}/conversations/{taskSid}/transcript", GetAsync)
            .WithTags("Conversations")
            .RequireAuthorization(AccessExtensions.PersonPolicy)
            .WithName("GetConversationTranscript")
            .WithSummary("The conversation's messages from Twilio, oldest first, with CS / ISS / system authors; 404 when Twilio no longer holds it, 503 when Twilio cannot answer now.")
            .Produces<TranscriptView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public static async Task<Results<JsonHttpResult<TranscriptView>, ProblemHttpResult>> GetAsync(
        HttpContext http, string platformId, string taskSid, PlatformCatalog platforms, IScopeAccess access, IConversationStore store,
        ITranscriptSource transcripts, AuditTrail audit)
    {
        if (await ConversationsApi.GrantAsync(http, platformId, platforms, access) is not var (settings, grant))
        {
            return ApiProblems.UnknownPlatform(platformId);
        }

        var target = $"{platformId}/{taskSid}";
        if (!grant.Allowed || !grant.Transcripts)
        {
            await audit.RecordAsync(http.User, AuditActions.TranscriptViewed, target, "denied");
            return TypedResults.Problem(title: "Not allowed", detail: "this sign-in may not open transcripts", statusCode: StatusCodes.Status403Forbidden);
        }

        var row = await store.GetAsync(platformId, taskSid, http.RequestAborted);
        if (row is null || (grant.Teams is { } own && (row.Record.Team is null || !own.Contains(row.Record.Team))))
        {
            await audit.RecordAsync(http.User, AuditActions.TranscriptViewed, target, row is null ? "not found" : "denied");
            return TypedResults.Problem(title: "Unknown conversation", detail: $"no conversation of task '{taskSid}' on platform '{platformId}'", statusCode: StatusCodes.Status404NotFound);
        }

        var record = row.Record;
        if (record.ConversationSid is not { } conversationSid || !ConversationSid.IsValid(conversationSid))
        {
            await audit.RecordAsync(http.User, AuditActions.TranscriptViewed, target, "none held");
            var detail = record.CallSid is not null
                ? "this is a voice call: no transcript is kept, and the task names no recording"
                : "the task names no chat conversation, so there is no transcript to read";
            return TypedResults.Problem(title: "No transcript", detail: detail, statusCode: StatusCodes.Status404NotFound);
        }

        var read = await transcripts.ReadAsync(platformId, conversationSid, http.RequestAborted);
        await audit.RecordAsync(http.User, AuditActions.TranscriptViewed, target, read.Status.ToString().ToLowerInvariant(), conversationSid);
        switch (read.Status)
        {
            case TranscriptStatus.NotFound:
                return TypedResults.Problem(title: "Transcript gone", detail: $"Twilio no longer holds conversation {conversationSid}: it was deleted or has expired", statusCode: StatusCodes.Status404NotFound);
            case TranscriptStatus.Unavailable:
                if (read.RetryAfter is { } retry)
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return TypedResults.Problem(title: "Transcript unavailable", detail: $"{read.Reason}; try again later", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // One worker may have had several offers: the name of the one who took the conversation wins.
        var identities = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var r in record.Reservations.Where(r => r.WorkerIdentity is not null).OrderBy(r => r.AcceptedMs is not null))
        {
            identities[r.WorkerIdentity!] = r.WorkerName;
        }

        var known = identities.Keys.ToHashSet(StringComparer.Ordinal);
        var messages = read.Messages.Select(m =>
        {
            var author = TranscriptAuthors.Classify(m, known);
            var name = author switch
            {
                TranscriptAuthor.Iss => identities.GetValueOrDefault(m.Author) ?? m.Author,
                TranscriptAuthor.Cs => grant.CustomerNames ? record.CustomerName ?? "CS" : "CS",
                _ => "system",
            };
            return new TranscriptMessageView(m.Sid, m.Index, author.ToString().ToLowerInvariant(), name, m.Created, m.Body,
                [.. m.Media.Select(x => new TranscriptMediaView(x.Filename ?? x.Sid, x.ContentType, x.Size))]);
        }).ToImmutableArray();
        return TypedResults.Json(new TranscriptView(platformId, taskSid, conversationSid, settings.TimeZoneName, record.CustomerName is null || !grant.CustomerNames ? null : record.CustomerName, record.WorkerName, messages), LifelineJson.Options);
    }
}

public sealed record TranscriptMediaView(string Name, string ContentType, long Size);

/// <summary>One message: <see cref="Author"/> is <c>cs</c>, <c>iss</c> or <c>system</c>; attachments are named, never fetched.</summary>
public sealed record TranscriptMessageView(string Sid, int Index, string Author, string AuthorName, DateTimeOffset Created, string? Body, ImmutableArray<TranscriptMediaView> Media);

public sealed record TranscriptView(string Platform, string TaskSid, string ConversationSid, string TimeZone, string? CustomerName, string? WorkerName, ImmutableArray<TranscriptMessageView> Messages);
