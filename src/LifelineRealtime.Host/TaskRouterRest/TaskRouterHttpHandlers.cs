using System.Net;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.TaskRouterRest;

/// <summary>
/// Sends what the Twilio client addresses to <see cref="TaskRouterRestOptions.TwilioHost"/> to
/// <see cref="TaskRouterRestOptions.BaseUrl"/> instead (the Twilio library has no base-URL setting), and refuses
/// any other host, so the account's credentials go nowhere else.
/// </summary>
internal sealed class TaskRouterBaseUrlHandler(IOptions<TaskRouterRestOptions> options) : DelegatingHandler
{
    private readonly Uri _baseUrl = new(options.Value.BaseUrl);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("a TaskRouter request has no URL");
        if (!string.Equals(uri.Host, TaskRouterRestOptions.TwilioHost, StringComparison.OrdinalIgnoreCase) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new HttpRequestException($"refusing to send TaskRouter credentials to {uri.Scheme}://{uri.Host}: only https://{TaskRouterRestOptions.TwilioHost} is called");
        }

        request.RequestUri = new UriBuilder(uri) { Scheme = _baseUrl.Scheme, Host = _baseUrl.Host, Port = _baseUrl.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Tries a request again when TaskRouter asks for it: after a 429 it waits the <c>Retry-After</c> Twilio gave (at
/// most <see cref="TaskRouterRestOptions.MaxRetryAfter"/>; without one, 1 s, 2 s, 4 s…); a read (GET) is also
/// tried again after a 5xx or a lost connection. A change (POST) answered 5xx is not: it may have been made. At
/// most <see cref="TaskRouterRestOptions.MaxAttempts"/> sends; the last answer is returned as it came.
/// </summary>
internal sealed partial class TaskRouterRetryHandler(IOptions<TaskRouterRestOptions> options, TimeProvider time, ILogger<TaskRouterRetryHandler> logger)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var read = request.Method == HttpMethod.Get;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (read && attempt < settings.MaxAttempts)
            {
                var wait = Backoff(attempt);
                LostConnection(logger, request.RequestUri!.AbsolutePath, attempt, wait.TotalSeconds, e.Message);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            if (attempt >= settings.MaxAttempts)
            {
                return response;
            }

            TimeSpan delay;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var asked = RetryAfter(response);
                if (asked > settings.MaxRetryAfter)
                {
                    RetryAfterTooLong(logger, request.RequestUri!.AbsolutePath, asked.Value.TotalSeconds, settings.MaxRetryAfter.TotalSeconds);
                    return response;
                }

                delay = asked ?? Backoff(attempt);
                RateLimited(logger, request.RequestUri!.AbsolutePath, attempt, delay.TotalSeconds);
            }
            else if (read && (int)response.StatusCode >= 500)
            {
                delay = Backoff(attempt);
                ServerError(logger, request.RequestUri!.AbsolutePath, (int)response.StatusCode, attempt, delay.TotalSeconds);
            }
            else
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>The wait a response's <c>Retry-After</c> asks for (seconds or an HTTP date), if it has one.</summary>
    internal TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "TaskRouter answered 429 to {Path} (attempt {Attempt}); trying again in {Seconds} s")]
    private static partial void RateLimited(ILogger logger, string path, int attempt, double seconds);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "TaskRouter answered {Status} to {Path} (attempt {Attempt}); reading again in {Seconds} s")]
    private static partial void ServerError(ILogger logger, string path, int status, int attempt, double seconds);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "TaskRouter could not be reached for {Path} (attempt {Attempt}: {Error}); reading again in {Seconds} s")]
    private static partial void LostConnection(ILogger logger, string path, int attempt, double seconds, string error);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "TaskRouter asked to wait {Seconds} s before calling {Path} again, longer than Lifeline:TaskRouterRest:MaxRetryAfter ({Limit} s); giving up on this call")]
    private static partial void RetryAfterTooLong(ILogger logger, string path, double seconds, double limit);
}
