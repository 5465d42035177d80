using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Taskrouter.V1.Workspace;
using HttpMethod = Twilio.Http.HttpMethod;
using Request = Twilio.Http.Request;

namespace LifelineRealtime.Host.TaskRouterRest;

/// <summary>
/// <see cref="ITaskRouterRest"/> through the <c>Twilio</c> library's <see cref="TwilioRestClient"/>, authenticated with
/// the platform's API key (<c>ApiKeySid</c>/<c>ApiKeySecret</c>) when it has one, else its account Sid and auth token,
/// over the HTTP client named <see cref="TaskRouterRestExtensions.HttpClientName"/> (timeouts, retries, base URL).
/// Reads go through <see cref="TwilioRestClient.RequestAsync"/> so the engine keeps Twilio's JSON text (backfill
/// journals it as it came) and the ETag header; the task fix is the library's <see cref="TaskResource.UpdateAsync(UpdateTaskOptions, ITwilioRestClient)"/>
/// with <c>If-Match</c>.
/// </summary>
public sealed partial class TwilioTaskRouterRest(
    IHttpClientFactory httpClients,
    PlatformCatalog platforms,
    IOptions<TaskRouterRestOptions> options,
    ILogger<TwilioTaskRouterRest> logger) : ITaskRouterRest
{
    public async Task<TaskRouterTask> FetchTaskAsync(string platformId, string taskSid, CancellationToken cancellationToken)
    {
        var platform = Platform(platformId);
        var response = await SendAsync(platform, Get($"/v1/Workspaces/{platform.Options.WorkspaceSid}/Tasks/{Escape(taskSid)}"), cancellationToken);
        using var document = Json(response);
        var root = document.RootElement;
        var etag = response.Headers?.ETag?.Tag ?? (response.Headers?.TryGetValues("ETag", out var values) == true ? values.FirstOrDefault() : null);
        return new TaskRouterTask(
            String(root, "sid") ?? taskSid,
            String(root, "assignment_status") ?? "",
            String(root, "task_queue_sid"),
            String(root, "attributes"),
            etag);
    }

    public async Task<TaskRouterTask> UpdateTaskAsync(string platformId, string taskSid, TaskFix fix, string reason, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(ifMatch);
        var platform = Platform(platformId);
        var update = new UpdateTaskOptions(platform.Options.WorkspaceSid, taskSid)
        {
            AssignmentStatus = fix == TaskFix.Cancel ? TaskResource.StatusEnum.Canceled : TaskResource.StatusEnum.Completed,
            Reason = reason,
            IfMatch = ifMatch,
        };
        var task = await Call(platform, client => TaskResource.UpdateAsync(update, client), cancellationToken);
        return new TaskRouterTask(task.Sid ?? taskSid, task.AssignmentStatus?.ToString() ?? "", task.TaskQueueSid, task.Attributes, null);
    }

    public async IAsyncEnumerable<TaskRouterEventsPage> ReadEventsAsync(
        string platformId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var platform = Platform(platformId);
        var path = $"/v1/Workspaces/{platform.Options.WorkspaceSid}/Events";
        // StartDate and EndDate are whole seconds: the end is rounded up, so the events of its last second are not
        // left out (the few read past it are duplicates the journal drops).
        var request = Get(path,
            ("StartDate", Iso(from)),
            ("EndDate", Iso(CeilingSecond(to))),
            ("PageSize", options.Value.EventsPageSize.ToString(CultureInfo.InvariantCulture)));
        for (var page = 0; ; page++)
        {
            if (page >= options.Value.MaxPages)
            {
                throw new TaskRouterRestException(TaskRouterFailure.Unavailable, null, null,
                    $"reading {platform.Id}'s events from {Iso(from)} to {Iso(to)} went past Lifeline:TaskRouterRest:MaxPages ({options.Value.MaxPages}) pages");
            }

            var response = await SendAsync(platform, request, cancellationToken);
            using var document = Json(response);
            var events = ImmutableArray.CreateBuilder<string>();
            if (document.RootElement.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    events.Add(item.GetRawText());
                }
            }
            else
            {
                throw NotTaskRouter(platform, path, "has no events list");
            }

            var next = NextPage(platform, document.RootElement, path);
            yield return new TaskRouterEventsPage(page, events.ToImmutable(), next is not null);
            if (next is null)
            {
                yield break;
            }

            request = new Request(HttpMethod.Get, next.AbsoluteUri);
        }
    }

    public async Task<ImmutableArray<TaskRouterQueue>> ListQueuesAsync(string platformId, CancellationToken cancellationToken)
    {
        var platform = Platform(platformId);
        var path = $"/v1/Workspaces/{platform.Options.WorkspaceSid}/TaskQueues";
        var queues = ImmutableArray.CreateBuilder<TaskRouterQueue>();
        var request = Get(path, ("PageSize", "1000"));
        for (var page = 0; page < options.Value.MaxPages; page++)
        {
            var response = await SendAsync(platform, request, cancellationToken);
            using var document = Json(response);
            if (!document.RootElement.TryGetProperty("task_queues", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw NotTaskRouter(platform, path, "has no task_queues list");
            }

            foreach (var item in list.EnumerateArray())
            {
                if (String(item, "sid") is { } sid)
                {
                    queues.Add(new TaskRouterQueue(sid, String(item, "friendly_name") ?? sid));
                }
            }

            if (NextPage(platform, document.RootElement, path) is not { } next)
            {
                return queues.ToImmutable();
            }

            request = new Request(HttpMethod.Get, next.AbsoluteUri);
        }

        throw new TaskRouterRestException(TaskRouterFailure.Unavailable, null, null, $"{platform.Id}'s task queues went past Lifeline:TaskRouterRest:MaxPages pages");
    }

    public async Task<TaskQueueStatistics> FetchQueueStatisticsAsync(
        string platformId, string taskQueueSid, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var platform = Platform(platformId);
        var path = $"/v1/Workspaces/{platform.Options.WorkspaceSid}/TaskQueues/{Escape(taskQueueSid)}/CumulativeStatistics";
        var response = await SendAsync(platform, Get(path, ("StartDate", Iso(from)), ("EndDate", Iso(to))), cancellationToken);
        using var document = Json(response);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tasks_entered", out _))
        {
            throw NotTaskRouter(platform, path, "has no tasks_entered");
        }

        return new TaskQueueStatistics(
            String(root, "task_queue_sid") ?? taskQueueSid,
            Time(root, "start_time"),
            Time(root, "end_time"),
            Count(root, "tasks_entered"),
            Count(root, "tasks_canceled"),
            Count(root, "tasks_completed"),
            Count(root, "reservations_created"),
            Count(root, "reservations_accepted"),
            Count(root, "reservations_rejected"),
            Count(root, "reservations_timed_out"),
            root.TryGetProperty("wait_duration_until_accepted", out var wait) && wait.ValueKind == JsonValueKind.Object ? Number(wait, "total") : 0);
    }

    private PlatformSettings Platform(string platformId) =>
        platforms.TryGet(platformId, out var platform) ? platform : throw new ArgumentException($"unknown platform '{platformId}'", nameof(platformId));

    private TwilioRestClient ClientFor(PlatformSettings platform)
    {
        var o = platform.Options;
        var http = new SystemNetHttpClient(httpClients.CreateClient(TaskRouterRestExtensions.HttpClientName));
        return string.IsNullOrEmpty(o.ApiKeySid)
            ? new TwilioRestClient(o.AccountSid, o.AuthToken, httpClient: http)
            : new TwilioRestClient(o.ApiKeySid, o.ApiKeySecret!, accountSid: o.AccountSid, httpClient: http);
    }

    private Task<Response> SendAsync(PlatformSettings platform, Request request, CancellationToken cancellationToken) =>
        Call(platform, client => client.RequestAsync(request), cancellationToken);

    /// <summary>One call through the Twilio client, its failures turned into <see cref="TaskRouterRestException"/>.</summary>
    private async Task<T> Call<T>(PlatformSettings platform, Func<TwilioRestClient, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(ClientFor(platform)).WaitAsync(cancellationToken);
        }
        catch (ApiException e)
        {
            var failure = e.Status > 0 ? TaskRouterRestException.FailureOf(e.Status) : TaskRouterFailure.Unavailable;
            CallFailed(logger, platform.Id, e.Status, e.Code, failure);
            throw new TaskRouterRestException(failure, e.Status > 0 ? e.Status : null, e.Code > 0 ? e.Code : null,
                $"TaskRouter answered {(e.Status > 0 ? e.Status.ToString(CultureInfo.InvariantCulture) : "an error")}" +
                (e.Code > 0 ? $" (Twilio error {e.Code})" : "") + $": {e.Message}", e);
        }
        catch (ApiConnectionException e)
        {
            CallFailed(logger, platform.Id, 0, 0, TaskRouterFailure.Unavailable);
            throw new TaskRouterRestException(TaskRouterFailure.Unavailable, null, null, $"TaskRouter could not be reached: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            CallFailed(logger, platform.Id, 0, 0, TaskRouterFailure.Unavailable);
            throw new TaskRouterRestException(TaskRouterFailure.Unavailable, null, null, $"TaskRouter could not be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            CallFailed(logger, platform.Id, 0, 0, TaskRouterFailure.Unavailable);
            throw new TaskRouterRestException(TaskRouterFailure.Unavailable, null, null,
                $"TaskRouter did not answer within Lifeline:TaskRouterRest:Timeout ({options.Value.Timeout})", e);
        }
    }

    /// <summary>
    /// The next page's URL from <c>meta.next_page_url</c>, or null on the last page. Followed only when it is
    /// TaskRouter's host and the same resource, so the credentials go nowhere else.
    /// </summary>
    private static Uri? NextPage(PlatformSettings platform, JsonElement root, string path)
    {
        if (!root.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object
            || !meta.TryGetProperty("next_page_url", out var next) || next.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (!Uri.TryCreate(next.GetString(), UriKind.Absolute, out var url)
            || url.Scheme != Uri.UriSchemeHttps
            || !string.Equals(url.Host, TaskRouterRestOptions.TwilioHost, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(url.AbsolutePath, path, StringComparison.Ordinal))
        {
            throw NotTaskRouter(platform, path, $"names a next page elsewhere ('{next.GetString()}')");
        }

        return url;
    }

    private static TaskRouterRestException NotTaskRouter(PlatformSettings platform, string path, string what) =>
        new(TaskRouterFailure.Unavailable, null, null, $"the answer to {platform.Id}'s {path} {what}: not TaskRouter's shape");

    private static Request Get(string path, params (string Name, string Value)[] query) =>
        new(HttpMethod.Get, Twilio.Rest.Domain.Taskrouter, path,
            queryParams: [.. query.Select(q => new KeyValuePair<string, string>(q.Name, q.Value))]);

    private static JsonDocument Json(Response response)
    {
        try
        {
            return JsonDocument.Parse(response.Content ?? "");
        }
        catch (JsonException e)
        {
            throw new TaskRouterRestException(TaskRouterFailure.Unavailable, (int)response.StatusCode, null, "TaskRouter's answer is not JSON: " + e.Message, e);
        }
    }

    private static string Escape(string sid) => Uri.EscapeDataString(sid);

    private static DateTimeOffset CeilingSecond(DateTimeOffset time) =>
        time.Ticks % TimeSpan.TicksPerSecond == 0 ? time : time.AddTicks(TimeSpan.TicksPerSecond - time.Ticks % TimeSpan.TicksPerSecond);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        String(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>A count TaskRouter gives as a number (or, in some responses, a numeric string).</summary>
    private static long Count(JsonElement element, string name) => (long)Number(element, name);

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => 0,
            }
            : 0;

    [LoggerMessage(EventId = 9010, Level = LogLevel.Warning, Message = "A TaskRouter REST call for platform {Platform} failed: status {Status}, Twilio error {Code} ({Failure})")]
    private static partial void CallFailed(ILogger logger, string platform, int status, int code, TaskRouterFailure failure);
}
