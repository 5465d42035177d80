using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>One request TaskRouter's REST API received.</summary>
internal sealed record TaskRouterRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string? User,
    string? IfMatch,
    DateTimeOffset ArrivedAt);

/// <summary>
/// TaskRouter's REST API for the tests, as a real HTTP server on loopback (the engine reaches it through the Twilio
/// client's <c>httpClient</c>, whose handler sends what is addressed to <c>taskrouter.twilio.com</c> here). It answers
/// with the recorded shapes under <c>tests/fixtures/twilio-taskrouter/</c> and checks every request as Twilio would:
/// HTTP Basic with a known account's auth token or one of its API keys (<c>SK…</c>), for that account's own
/// workspace (else 401 or 404); the Events list filtered by <c>StartDate</c>/<c>EndDate</c>, paged by
/// <c>PageSize</c> and an opaque <c>PageToken</c> in <c>meta.next_page_url</c> (a request with <c>Page</c> and no
/// <c>PageToken</c> is refused, as paging by <c>Page</c> is not supported); a task update applied only when
/// <c>If-Match</c> equals the task's ETag (else 412), with <c>Reason</c> required and the transitions TaskRouter
/// refuses answered 400. Faults can be queued per path (status, body, <c>Retry-After</c>). Every request is kept in
/// <see cref="Requests"/>.
/// </summary>
internal sealed partial class TaskRouterDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Account, string Secret)> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _workspaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<JsonObject>> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Workspace, string Task), TaskState> _tasks = new();
    private readonly ConcurrentDictionary<string, List<(string Sid, string Name)>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Workspace, string Queue), Func<DateTimeOffset, DateTimeOffset, JsonObject>> _statistics = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TaskRouterRequest> _requests = new();
    private readonly object _gate = new();

    private TaskRouterDouble(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:port</c>: the engine's <c>Lifeline:TaskRouterRest:BaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<TaskRouterRequest> Requests => [.. _requests];

    /// <summary>A double that knows both fixture accounts (<see cref="TestPlatforms"/>) with their auth tokens.</summary>
    public static async Task<TaskRouterDouble> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var twilio = new TaskRouterDouble(app);
        twilio.Account(TestPlatforms.DigiAccount, TestPlatforms.DigiToken, TestPlatforms.DigiWorkspace);
        twilio.Account(TestPlatforms.CissAccount, TestPlatforms.CissToken, TestPlatforms.CissWorkspace);
        app.Run(twilio.AnswerAsync);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        twilio.BaseUrl = $"http://127.0.0.1:{address.Port}";
        return twilio;
    }

    /// <summary>The engine settings that send its TaskRouter REST calls here.</summary>
    public void Configure(IDictionary<string, string?> settings) => settings["Lifeline:TaskRouterRest:BaseUrl"] = BaseUrl;

    public static string Recorded(string name) =>
        File.ReadAllText(Path.Combine(Repository.Root, "tests", "fixtures", "twilio-taskrouter", name));

    /// <summary>An account, its auth token and its workspace.</summary>
    public TaskRouterDouble Account(string accountSid, string authToken, string workspaceSid)
    {
        _credentials[accountSid] = (accountSid, authToken);
        _workspaces[workspaceSid] = accountSid;
        return this;
    }

    /// <summary>An API key of an account: <paramref name="keySid"/> (<c>SK…</c>) and its secret authenticate for it.</summary>
    public TaskRouterDouble ApiKey(string accountSid, string keySid, string secret)
    {
        _credentials[keySid] = (accountSid, secret);
        return this;
    }

    /// <summary>Stops accepting a credential (a rotated token or a revoked key).</summary>
    public void Revoke(string user) => _credentials.TryRemove(user, out _);

    /// <summary>Events the workspace's Events list holds, as REST resources (see <see cref="EventResources"/>).</summary>
    public TaskRouterDouble Events(string workspaceSid, IEnumerable<string> resources)
    {
        lock (_gate)
        {
            var list = _events.GetOrAdd(workspaceSid, _ => []);
            list.AddRange(resources.Select(r => JsonNode.Parse(r)!.AsObject()));
        }

        return this;
    }

    /// <summary>A task the workspace holds, at version 1 (ETag <c>"1"</c>).</summary>
    public TaskRouterDouble Task(string workspaceSid, string taskSid, string status, string? taskQueueSid = null, string attributes = "{}")
    {
        _tasks[(workspaceSid, taskSid)] = new TaskState(status, taskQueueSid, attributes, 1, null);
        return this;
    }

    /// <summary>Someone else changes the task (a worker, Flex): its ETag moves on.</summary>
    public void ChangeTask(string workspaceSid, string taskSid, string? status = null)
    {
        var state = _tasks[(workspaceSid, taskSid)];
        _tasks[(workspaceSid, taskSid)] = state with { Status = status ?? state.Status, Version = state.Version + 1 };
    }

    public TaskRouterTaskView TaskNow(string workspaceSid, string taskSid) =>
        _tasks[(workspaceSid, taskSid)] is var s ? new TaskRouterTaskView(s.Status, s.Version, s.Reason) : throw new KeyNotFoundException(taskSid);

    /// <summary>The workspace's task queues.</summary>
    public TaskRouterDouble Queues(string workspaceSid, params (string Sid, string Name)[] queues)
    {
        _queues[workspaceSid] = [.. queues];
        return this;
    }

    /// <summary>A queue's cumulative statistics for the period asked (start from <c>task-queue-cumulative-statistics.json</c>).</summary>
    public TaskRouterDouble Statistics(string workspaceSid, string queueSid, Func<DateTimeOffset, DateTimeOffset, JsonObject> answer)
    {
        _statistics[(workspaceSid, queueSid)] = answer;
        return this;
    }

    /// <summary>The recorded statistics body with these values in place (and the period asked as start and end).</summary>
    public static JsonObject StatisticsBody(string workspaceSid, string queueSid, DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, double> values)
    {
        var body = JsonNode.Parse(Recorded("task-queue-cumulative-statistics.json"))!.AsObject();
        body["workspace_sid"] = workspaceSid;
        body["task_queue_sid"] = queueSid;
        body["start_time"] = Iso(from);
        body["end_time"] = Iso(to);
        foreach (var (name, value) in values)
        {
            if (name == "wait_duration_until_accepted.total")
            {
                body["wait_duration_until_accepted"]!["total"] = value;
            }
            else
            {
                body[name] = (long)value;
            }
        }

        return body;
    }

    /// <summary>
    /// The next <paramref name="times"/> requests whose path starts with <paramref name="pathPrefix"/> are answered
    /// <paramref name="status"/> with the recorded error body for it, and <c>Retry-After</c> when given; with
    /// <paramref name="method"/>, only requests of that method (a task's GET and POST share a path).
    /// </summary>
    public void Fail(string pathPrefix, int status, int times = 1, string? retryAfter = null, string? method = null)
    {
        var queue = _faults.GetOrAdd((method ?? "*") + " " + pathPrefix, _ => new ConcurrentQueue<Fault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(new Fault(status, retryAfter));
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal) : [];
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var user = BasicUser(request, out var secret);
        var path = request.Path.Value ?? "";
        _requests.Enqueue(new TaskRouterRequest(request.Method, path, query, form, user, request.Headers.IfMatch.ToString() is { Length: > 0 } m ? m : null, DateTimeOffset.UtcNow));

        foreach (var (key, faults) in _faults)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            var (method, prefix) = (key[..space], key[(space + 1)..]);
            if ((method == "*" || method == request.Method) && path.StartsWith(prefix, StringComparison.Ordinal) && faults.TryDequeue(out var fault))
            {
                if (fault.RetryAfter is { } after)
                {
                    context.Response.Headers.RetryAfter = after;
                }

                await ErrorAsync(context, fault.Status);
                return;
            }
        }

        var match = WorkspacePath().Match(path);
        if (!match.Success)
        {
            await ErrorAsync(context, 404);
            return;
        }

        var workspace = match.Groups["ws"].Value;
        if (user is null || !_credentials.TryGetValue(user, out var known) || known.Secret != secret)
        {
            await ErrorAsync(context, 401);
            return;
        }

        if (!_workspaces.TryGetValue(workspace, out var owner) || owner != known.Account)
        {
            await ErrorAsync(context, 404);
            return;
        }

        var rest = match.Groups["rest"].Value;
        switch (request.Method, rest.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            case ("GET", ["Events"]):
                await EventsAsync(context, workspace, query);
                return;
            case ("GET", ["Tasks", var task]):
                await TaskAsync(context, workspace, task);
                return;
            case ("POST", ["Tasks", var task]):
                await UpdateTaskAsync(context, workspace, task, form);
                return;
            case ("GET", ["TaskQueues"]):
                await QueuesAsync(context, workspace);
                return;
            case ("GET", ["TaskQueues", var queue, "CumulativeStatistics"]):
                await StatisticsAsync(context, workspace, queue, query);
                return;
            default:
                await ErrorAsync(context, 404);
                return;
        }
    }

    private async Task EventsAsync(HttpContext context, string workspace, Dictionary<string, string> query)
    {
        if (query.ContainsKey("Page") && !query.ContainsKey("PageToken"))
        {
            await ErrorAsync(context, 400, "Paging by Page is not supported; follow meta.next_page_url");
            return;
        }

        var from = query.TryGetValue("StartDate", out var s) ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow.AddMinutes(-15);
        var to = query.TryGetValue("EndDate", out var e) ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow;
        var pageSize = query.TryGetValue("PageSize", out var size) ? Math.Clamp(int.Parse(size, CultureInfo.InvariantCulture), 1, 1000) : 50;
        var offset = query.TryGetValue("PageToken", out var token) ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token[2..])), CultureInfo.InvariantCulture) : 0;
        var page = query.TryGetValue("Page", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
        List<JsonObject> matching;
        lock (_gate)
        {
            // Newest first, as TaskRouter lists events: a reader must not rely on the order.
            matching = [.. (_events.TryGetValue(workspace, out var all) ? all : [])
                .Where(x => x["event_date_ms"]!.GetValue<long>() is var ms && ms >= from.ToUnixTimeMilliseconds() && ms < to.ToUnixTimeMilliseconds())
                .OrderByDescending(x => x["event_date_ms"]!.GetValue<long>())
                .ThenBy(x => x["sid"]!.GetValue<string>(), StringComparer.Ordinal)
                .Select(x => x.DeepClone().AsObject())];
        }

        var slice = matching.Skip(offset).Take(pageSize).ToList();
        var baseQuery = $"StartDate={Uri.EscapeDataString(Iso(from))}&EndDate={Uri.EscapeDataString(Iso(to))}&PageSize={pageSize}";
        var url = $"https://taskrouter.twilio.com/v1/Workspaces/{workspace}/Events?{baseQuery}";
        var next = offset + pageSize < matching.Count
            ? $"{url}&Page={page + 1}&PageToken=PA{Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + pageSize).ToString(CultureInfo.InvariantCulture)))}"
            : null;
        var body = new JsonObject
        {
            ["events"] = new JsonArray([.. slice]),
            ["meta"] = new JsonObject
            {
                ["first_page_url"] = $"{url}&Page=0",
                ["key"] = "events",
                ["next_page_url"] = next,
                ["page"] = page,
                ["page_size"] = pageSize,
                ["previous_page_url"] = null,
                ["url"] = context.Request.QueryString.HasValue ? $"https://taskrouter.twilio.com{context.Request.Path}{context.Request.QueryString}" : url,
            },
        };
        await JsonAsync(context, 200, body.ToJsonString());
    }

    private async Task TaskAsync(HttpContext context, string workspace, string taskSid)
    {
        if (!_tasks.TryGetValue((workspace, taskSid), out var state))
        {
            await ErrorAsync(context, 404);
            return;
        }

        context.Response.Headers.ETag = ETag(state.Version);
        await JsonAsync(context, 200, TaskBody(workspace, taskSid, state));
    }

    private async Task UpdateTaskAsync(HttpContext context, string workspace, string taskSid, Dictionary<string, string> form)
    {
        if (!_tasks.TryGetValue((workspace, taskSid), out var state))
        {
            await ErrorAsync(context, 404);
            return;
        }

        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != ETag(state.Version))
        {
            await ErrorAsync(context, 412);
            return;
        }

        var status = form.GetValueOrDefault("AssignmentStatus");
        var reason = form.GetValueOrDefault("Reason");
        if (status is "canceled" or "completed" && string.IsNullOrWhiteSpace(reason))
        {
            await ErrorAsync(context, 400, "Reason is required when canceling or completing a Task");
            return;
        }

        var refused = (status, state.Status) switch
        {
            ("canceled", "pending" or "reserved") => null,
            ("canceled", var from) => $"Task cannot be canceled: it is {from}",
            ("completed", "assigned" or "wrapping") => null,
            ("completed", var from) => $"Task cannot be completed: it is {from}",
            (null, _) => null,
            (var to, _) => $"AssignmentStatus '{to}' is not supported here",
        };
        if (refused is not null)
        {
            await ErrorAsync(context, 400, refused);
            return;
        }

        var updated = state with { Status = status ?? state.Status, Version = state.Version + 1, Reason = reason ?? state.Reason };
        if (!_tasks.TryUpdate((workspace, taskSid), updated, state))
        {
            await ErrorAsync(context, 412);
            return;
        }

        context.Response.Headers.ETag = ETag(updated.Version);
        await JsonAsync(context, 200, TaskBody(workspace, taskSid, updated));
    }

    private async Task QueuesAsync(HttpContext context, string workspace)
    {
        var body = JsonNode.Parse(Recorded("task-queues.json"))!.AsObject();
        var template = body["task_queues"]![0]!.AsObject();
        var list = new JsonArray();
        foreach (var (sid, name) in _queues.TryGetValue(workspace, out var queues) ? queues : [])
        {
            var queue = template.DeepClone().AsObject();
            queue["sid"] = sid;
            queue["friendly_name"] = name;
            queue["workspace_sid"] = workspace;
            queue["url"] = $"https://taskrouter.twilio.com/v1/Workspaces/{workspace}/TaskQueues/{sid}";
            list.Add(queue);
        }

        body["task_queues"] = list;
        await JsonAsync(context, 200, body.ToJsonString());
    }

    private async Task StatisticsAsync(HttpContext context, string workspace, string queue, Dictionary<string, string> query)
    {
        if (!_statistics.TryGetValue((workspace, queue), out var answer))
        {
            await ErrorAsync(context, 404);
            return;
        }

        var from = DateTimeOffset.Parse(query["StartDate"], CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(query["EndDate"], CultureInfo.InvariantCulture);
        await JsonAsync(context, 200, answer(from, to).ToJsonString());
    }

    private static string TaskBody(string workspace, string taskSid, TaskState state)
    {
        var body = JsonNode.Parse(Recorded("task.json"))!.AsObject();
        body["sid"] = taskSid;
        body["workspace_sid"] = workspace;
        body["assignment_status"] = state.Status;
        body["task_queue_sid"] = state.Queue;
        body["attributes"] = state.Attributes;
        body["reason"] = state.Reason;
        body["version"] = state.Version.ToString(CultureInfo.InvariantCulture);
        body["url"] = $"https://taskrouter.twilio.com/v1/Workspaces/{workspace}/Tasks/{taskSid}";
        return body.ToJsonString();
    }

    private static async Task ErrorAsync(HttpContext context, int status, string? message = null)
    {
        var body = JsonNode.Parse(Recorded($"error-{status}.json"))!.AsObject();
        if (message is not null)
        {
            body["message"] = message;
        }

        await JsonAsync(context, status, body.ToJsonString());
    }

    private static async Task JsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json);
    }

    private static string? BasicUser(HttpRequest request, out string? secret)
    {
        secret = null;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        secret = decoded[(colon + 1)..];
        return decoded[..colon];
    }

    private static string ETag(long version) => $"\"{version}\"";

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^/v1/Workspaces/(?<ws>WS[0-9a-f]{32})(?<rest>/.*)?$")]
    private static partial Regex WorkspacePath();

    private sealed record TaskState(string Status, string? Queue, string Attributes, long Version, string? Reason);

    private sealed record Fault(int Status, string? RetryAfter);
}

/// <summary>A task as the double holds it now.</summary>
internal sealed record TaskRouterTaskView(string Status, long Version, string? Reason);

/// <summary>
/// TaskRouter's Events REST resources (twilio README §6.1) made from callback form bodies, the way TaskRouter lists the
/// same events: identity and time at the top level (<c>sid</c>, <c>event_type</c>, <c>event_date</c>,
/// <c>event_date_ms</c>, <c>resource_*</c>, <c>actor_*</c>, <c>url</c>), every other field snake_cased in
/// <c>event_data</c>. Same shape as <c>tests/fixtures/twilio-taskrouter/events-page.json</c>.
/// </summary>
internal static partial class EventResources
{
    private static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal)
    {
        "AccountSid", "WorkspaceSid", "Sid", "EventType", "EventDescription", "ResourceType", "ResourceSid", "Timestamp", "TimestampMs",
    };

    public static string FromForm(string formBody) => FromFields(TaskRouterEventParser.DecodeForm(formBody));

    public static string FromFields(IReadOnlyDictionary<string, string> f)
    {
        var ms = long.Parse(f["TimestampMs"], CultureInfo.InvariantCulture);
        var workspace = f["WorkspaceSid"];
        var data = new JsonObject();
        foreach (var (name, value) in f)
        {
            if (!TopLevel.Contains(name))
            {
                data[Snake(name)] = value;
            }
        }

        var resource = new JsonObject
        {
            ["account_sid"] = f["AccountSid"],
            ["workspace_sid"] = workspace,
            ["sid"] = f["Sid"],
            ["event_type"] = f["EventType"],
            ["event_date"] = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["event_date_ms"] = ms,
            ["description"] = f.GetValueOrDefault("EventDescription"),
            ["resource_type"] = f.GetValueOrDefault("ResourceType"),
            ["resource_sid"] = f.GetValueOrDefault("ResourceSid"),
            ["resource_url"] = $"https://taskrouter.twilio.com/v1/Workspaces/{workspace}/{f.GetValueOrDefault("ResourceSid")}",
            ["actor_type"] = "workspace",
            ["actor_sid"] = workspace,
            ["actor_url"] = $"https://taskrouter.twilio.com/v1/Workspaces/{workspace}",
            ["source"] = "twilio",
            ["source_ip_address"] = "10.0.0.1",
            ["url"] = $"https://taskrouter.twilio.com/v1/Workspaces/{workspace}/Events/{f["Sid"]}",
            ["event_data"] = data,
        };
        return resource.ToJsonString();
    }

    private static string Snake(string pascal) => SnakeBoundary().Replace(pascal, "_$1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex SnakeBoundary();
}
