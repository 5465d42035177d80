namespace LifelineRealtime.Host.TaskRouterRest;

/// <summary>What went wrong with a TaskRouter REST call, as the engine acts on it.</summary>
public enum TaskRouterFailure
{
    /// <summary>400: TaskRouter refused the request (a transition it does not allow, a bad parameter).</summary>
    Refused,

    /// <summary>401 or 403: the platform's credentials were not accepted.</summary>
    Unauthorized,

    /// <summary>404: no such resource on the platform's workspace.</summary>
    NotFound,

    /// <summary>412: the resource changed since its ETag was read (<c>If-Match</c>); nothing was changed.</summary>
    Conflict,

    /// <summary>429 still after the retries, or a <c>Retry-After</c> longer than the engine waits.</summary>
    RateLimited,

    /// <summary>5xx, a timeout, a lost connection, or an answer that is not TaskRouter's.</summary>
    Unavailable,
}

/// <summary>A TaskRouter REST call that failed: why, Twilio's status and error code and message where it gave them.</summary>
public sealed class TaskRouterRestException(TaskRouterFailure failure, int? status, int? code, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public TaskRouterFailure Failure { get; } = failure;

    /// <summary>The HTTP status Twilio answered, when it answered.</summary>
    public int? Status { get; } = status;

    /// <summary>Twilio's error code (https://www.twilio.com/docs/api/errors), when it gave one.</summary>
    public int? Code { get; } = code;

    public static TaskRouterFailure FailureOf(int status) => status switch
    {
        400 => TaskRouterFailure.Refused,
        401 or 403 => TaskRouterFailure.Unauthorized,
        404 => TaskRouterFailure.NotFound,
        412 => TaskRouterFailure.Conflict,
        429 => TaskRouterFailure.RateLimited,
        >= 400 and < 500 => TaskRouterFailure.Refused,
        _ => TaskRouterFailure.Unavailable,
    };
}
