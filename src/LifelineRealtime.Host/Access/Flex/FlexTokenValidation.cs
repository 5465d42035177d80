using System.Text.Json.Serialization;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// Twilio's answer to <c>POST /v1/Accounts/{AC}/Tokens/validate</c> (twilio README §8): <see cref="Valid"/>
/// with the user it names, or not valid with a <see cref="Message"/>.
/// </summary>
public sealed record FlexTokenValidation
{
    [JsonPropertyName("valid")]
    public bool Valid { get; init; }

    [JsonPropertyName("code")]
    public int? Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("expiration")]
    public DateTimeOffset? Expiration { get; init; }

    [JsonPropertyName("realm_user_id")]
    public string? RealmUserId { get; init; }

    [JsonPropertyName("identity")]
    public string? Identity { get; init; }

    /// <summary>Flex roles (<c>admin</c>, <c>supervisor</c>, <c>agent</c>) and, when the IdP sends them, Insights' <c>wfo.*</c>.</summary>
    [JsonPropertyName("roles")]
    public IReadOnlyList<string>? Roles { get; init; }

    [JsonPropertyName("worker_sid")]
    public string? WorkerSid { get; init; }
}

/// <summary>The fields read from a TaskRouter Worker resource (<c>GET /v1/Workspaces/{WS}/Workers/{WK}</c>).</summary>
public sealed record TaskRouterWorkerResource
{
    [JsonPropertyName("sid")]
    public string? Sid { get; init; }

    /// <summary>A JSON object serialised as a string, as TaskRouter returns it.</summary>
    [JsonPropertyName("attributes")]
    public string? Attributes { get; init; }
}
