using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Simulator.Hosting;

internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Simulator posting to {BaseUrl} for {PlatformCount} platform(s), seed {Seed}, speed {Speed}")]
    public static partial void Starting(ILogger logger, string baseUrl, int platformCount, long seed, double speed);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Simulator replaying {File} to {BaseUrl}")]
    public static partial void Replaying(ILogger logger, string file, string baseUrl);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Simulator post to platform {PlatformId} failed (attempt {Attempt} of {MaxAttempts}): {Reason}")]
    public static partial void PostFailed(ILogger logger, string platformId, int attempt, int maxAttempts, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "Simulator gave up on an event for platform {PlatformId} after {MaxAttempts} attempts")]
    public static partial void GaveUp(ILogger logger, string platformId, int maxAttempts);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Simulator finished: {Sent} event(s) sent, {Failed} failed")]
    public static partial void Finished(ILogger logger, long sent, long failed);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Simulator found no address to post to: the server reports no listening address and Lifeline:Simulator:BaseUrl is not set")]
    public static partial void NoAddress(ILogger logger);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "Simulator continues the run it began at {Start:u}: posting the {Minutes:F1} simulated minute(s) since its last event at once, then in time")]
    public static partial void Continuing(ILogger logger, DateTimeOffset start, double minutes);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "Simulator could not save its position to {Path} ({Reason}): a restart will begin a new run")]
    public static partial void StateNotSaved(ILogger logger, string path, string reason);
}
