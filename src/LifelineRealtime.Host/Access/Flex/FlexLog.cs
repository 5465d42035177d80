namespace LifelineRealtime.Host.Access.Flex;

/// <summary>Flex token sign-in's logs (event ids 8001–8099). None carries a token, a credential or a user's name.</summary>
internal static partial class FlexLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Flex token sign-in refused: Twilio could not validate it with platform {PlatformId}'s account: {Reason}")]
    public static partial void ValidationUnavailable(this ILogger logger, string platformId, string reason);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Flex token sign-in refused: no configured platform's account ({PlatformCount}) called it valid ({Reason})")]
    public static partial void TokenInvalid(this ILogger logger, int platformCount, string reason);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Flex token sign-in refused: platform {PlatformId}'s account validated it but it expired at {Expiration:o}")]
    public static partial void TokenExpired(this ILogger logger, string platformId, DateTimeOffset expiration);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Flex token sign-in refused: platform {PlatformId}'s account validated it but its worker could not be read from TaskRouter: {Reason}")]
    public static partial void WorkerUnavailable(this ILogger logger, string platformId, string reason);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Information, Message = "A Flex token platform {PlatformId}'s account validated names a worker TaskRouter does not know: signed in without worker attributes (no team)")]
    public static partial void WorkerNotFound(this ILogger logger, string platformId);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Debug, Message = "Flex token signed in on platform {PlatformId} with {RoleCount} role(s) and {TeamCount} team(s), trusted until {Until:o}")]
    public static partial void SignedIn(this ILogger logger, string platformId, int roleCount, int teamCount, DateTimeOffset until);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Information, Message = "Flex token sign-in refused: Flex sign-in is off (Lifeline:Auth:Flex:Enabled, or no platform has an AccountSid and AuthToken)")]
    public static partial void Disabled(this ILogger logger);
}
