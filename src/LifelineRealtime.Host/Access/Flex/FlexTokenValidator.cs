using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>What asking Twilio about a token came to.</summary>
public enum FlexValidationStatus
{
    /// <summary>An account validated it and it has not expired: <see cref="FlexValidationOutcome.SignIn"/>.</summary>
    Valid,

    /// <summary>Every account asked refused it, or it has expired: worth remembering briefly.</summary>
    Invalid,

    /// <summary>Twilio could not answer (5xx, timeout, network, refused credentials): deny, and do not remember.</summary>
    Unavailable,
}

public sealed record FlexValidationOutcome(FlexValidationStatus Status, FlexSignIn? SignIn, string Reason);

/// <summary>
/// Asks Twilio's token validation endpoint (twilio README §8) whether a Flex token is valid, with each
/// configured platform's account in turn (<c>AccountSid:AuthToken</c>; the token does not reliably say whose it
/// is), the platform of the request's route first; the first account that calls it valid is its platform. The
/// token's worker is then read from TaskRouter for its roles and team attributes. A typed client of
/// <see cref="IHttpClientFactory"/>: plain HTTP, since the Twilio library has no base-URL setting.
/// </summary>
public sealed partial class FlexTokenValidator(
    HttpClient http,
    PlatformCatalog platforms,
    IOptions<FlexTokenOptions> options,
    TimeProvider time,
    ILogger<FlexTokenValidator> logger)
{
    public static bool HasCredentials(PlatformOptions platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return !string.IsNullOrWhiteSpace(platform.AccountSid) && !string.IsNullOrWhiteSpace(platform.AuthToken);
    }

    /// <summary>The platforms asked, in order: <paramref name="preferredPlatformId"/> first when it has credentials, then the rest as configured.</summary>
    public IReadOnlyList<PlatformSettings> Candidates(string? preferredPlatformId)
    {
        var withCredentials = platforms.All.Where(p => HasCredentials(p.Options)).ToList();
        var preferred = withCredentials.FindIndex(p => p.Id == preferredPlatformId);
        if (preferred > 0)
        {
            var first = withCredentials[preferred];
            withCredentials.RemoveAt(preferred);
            withCredentials.Insert(0, first);
        }

        return withCredentials;
    }

    public async Task<FlexValidationOutcome> ValidateAsync(string token, string? preferredPlatformId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var candidates = Candidates(preferredPlatformId);
        string? unavailable = null;
        string? refusal = null;
        foreach (var platform in candidates)
        {
            var answer = await AskAsync(platform, token, cancellationToken);
            if (answer.Unavailable is { } reason)
            {
                logger.ValidationUnavailable(platform.Id, reason);
                unavailable ??= $"platform {platform.Id}: {reason}";
                continue;
            }

            if (answer.Validation is not { Valid: true } valid)
            {
                refusal = Scrub(answer.Validation?.Message, token) ?? "not valid";
                continue;
            }

            var now = time.GetUtcNow();
            if (valid.Expiration is { } expiration && expiration <= now)
            {
                logger.TokenExpired(platform.Id, expiration);
                return new FlexValidationOutcome(FlexValidationStatus.Invalid, null, "expired");
            }

            var worker = await ReadWorkerAsync(platform, valid.WorkerSid, cancellationToken);
            if (worker.Unavailable is { } workerReason)
            {
                logger.WorkerUnavailable(platform.Id, workerReason);
                return new FlexValidationOutcome(FlexValidationStatus.Unavailable, null, $"worker of platform {platform.Id}: {workerReason}");
            }

            // No expiration given: trusted for this request only, never remembered.
            var signIn = FlexClaims.SignIn(valid, platform, worker.Attributes, valid.Expiration ?? now);
            return new FlexValidationOutcome(FlexValidationStatus.Valid, signIn, "valid");
        }

        // A token whose account did not answer may be that account's: unavailable, not invalid, so it is not remembered.
        if (unavailable is not null)
        {
            return new FlexValidationOutcome(FlexValidationStatus.Unavailable, null, unavailable);
        }

        var why = candidates.Count == 0 ? "no platform has an AccountSid and AuthToken" : refusal ?? "not valid";
        logger.TokenInvalid(candidates.Count, why);
        return new FlexValidationOutcome(FlexValidationStatus.Invalid, null, why);
    }

    private async Task<(FlexTokenValidation? Validation, string? Unavailable)> AskAsync(PlatformSettings platform, string token, CancellationToken cancellationToken)
    {
        var account = platform.Options.AccountSid;
        var url = $"{options.Value.ValidationBaseUrl.TrimEnd('/')}/v1/Accounts/{Uri.EscapeDataString(account)}/Tokens/validate";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new TokenBody(token)) };
        request.Headers.Authorization = Basic(platform.Options);
        return await SendAsync<FlexTokenValidation>(request, async response =>
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return (null, $"the account's credentials were refused ({(int)response.StatusCode})");
            }

            if (!IsClientOrSuccess(response.StatusCode))
            {
                return (null, $"Twilio answered {(int)response.StatusCode}");
            }

            var validation = await ReadJsonAsync<FlexTokenValidation>(response, cancellationToken);
            if (validation is null)
            {
                return (null, $"Twilio's answer ({(int)response.StatusCode}) was not a validation result");
            }

            // Only a success status can say valid; a 4xx is the token's refusal whatever its body says.
            return (response.IsSuccessStatusCode ? validation : validation with { Valid = false }, null);
        }, cancellationToken);
    }

    private async Task<(TaskRouterAttributes? Attributes, string? Unavailable)> ReadWorkerAsync(PlatformSettings platform, string? workerSid, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(workerSid))
        {
            return (null, null);
        }

        if (!WorkerSidPattern().IsMatch(workerSid))
        {
            return (null, "the token's worker_sid is not a worker Sid");
        }

        var url = $"{options.Value.TaskRouterBaseUrl.TrimEnd('/')}/v1/Workspaces/{Uri.EscapeDataString(platform.Options.WorkspaceSid)}/Workers/{workerSid}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = Basic(platform.Options);
        return await SendAsync<TaskRouterAttributes>(request, async response =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                logger.WorkerNotFound(platform.Id);
                return (null, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, $"TaskRouter answered {(int)response.StatusCode}");
            }

            var worker = await ReadJsonAsync<TaskRouterWorkerResource>(response, cancellationToken);
            if (worker is null)
            {
                return (null, "TaskRouter's answer was not a worker");
            }

            try
            {
                return (TaskRouterAttributes.Parse(worker.Attributes), null);
            }
            catch (FormatException)
            {
                return (TaskRouterAttributes.Empty, null);
            }
        }, cancellationToken);
    }

    private async Task<(T? Value, string? Unavailable)> SendAsync<T>(
        HttpRequestMessage request, Func<HttpResponseMessage, Task<(T?, string?)>> read, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await read(response);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, $"no answer within {http.Timeout}");
        }
        catch (HttpRequestException e)
        {
            return (default, $"network error ({e.HttpRequestError})");
        }
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // Not a JSON content type.
            return null;
        }
    }

    private static bool IsClientOrSuccess(HttpStatusCode status) => (int)status is >= 200 and < 500;

    private static AuthenticationHeaderValue Basic(PlatformOptions platform) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{platform.AccountSid}:{platform.AuthToken}")));

    /// <summary>Twilio's refusal message for the log, in case it ever quotes what it was sent.</summary>
    private static string? Scrub(string? message, string token) =>
        string.IsNullOrWhiteSpace(message) ? null : message.Replace(token, "[token]", StringComparison.Ordinal);

    [GeneratedRegex(@"^WK[0-9a-fA-F]{32}\z")]
    private static partial Regex WorkerSidPattern();

    private sealed record TokenBody([property: System.Text.Json.Serialization.JsonPropertyName("token")] string Token);
}
