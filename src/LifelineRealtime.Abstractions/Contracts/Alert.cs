namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>
/// An urgent task (<c>imminent</c>, <c>safety</c>) waiting past its platform's <c>UrgentWaitAlertSeconds</c>
/// (<see cref="State"/> <c>raised</c>), or no longer waiting after such an alert (<c>cleared</c>).
/// <see cref="WaitSeconds"/> is the wait when the alert was raised or cleared; <see cref="At"/> is that instant.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.Alert")]
public sealed record Alert(
    [property: Id(0)] string Platform,
    [property: Id(1)] string TaskSid,
    [property: Id(2)] string? TaskQueueSid,
    [property: Id(3)] string SupportType,
    [property: Id(4)] double WaitSeconds,
    [property: Id(5)] string State,
    [property: Id(6)] DateTimeOffset At)
{
    public const string Raised = "raised";
    public const string Cleared = "cleared";
}

/// <summary>A task waiting (pending or reserved) with an urgent support type, as alerts need it.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.UrgentWait")]
public readonly record struct UrgentWait(
    [property: Id(0)] string TaskSid,
    [property: Id(1)] string? TaskQueueSid,
    [property: Id(2)] string SupportType,
    [property: Id(3)] long CreatedMs);

/// <summary>
/// What a push round needs from a stats grain: whether anything was applied since the last look
/// (<see cref="Epoch"/> changes when the grain re-activates, <see cref="Version"/> on every applied batch)
/// and the urgent tasks waiting now.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.StatsPushState")]
public sealed record StatsPushState(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Version,
    [property: Id(2)] System.Collections.Immutable.ImmutableArray<UrgentWait> UrgentWaiting);
