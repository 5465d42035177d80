namespace LifelineRealtime.Simulator;

/// <summary>
/// One TaskRouter workspace callback as TaskRouter would post it: the platform it belongs to, its
/// event time (<c>TimestampMs</c>) and the <c>application/x-www-form-urlencoded</c> body.
/// </summary>
public sealed record SimulatedEvent(string PlatformId, long TimestampMs, string Form);
