namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>
/// One journaled event as a task or worker grain receives it: the journal sequence and the wire text.
/// Grains parse the text themselves (the same parser the journal uses), so the event hierarchy never
/// has to cross a grain boundary, and the grain can persist exactly what it was given.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.JournalInput")]
public sealed record JournalInput(
    [property: Id(0)] long Sequence,
    [property: Id(1)] InputFormat Format,
    [property: Id(2)] string Payload);

/// <summary>How <see cref="JournalInput.Payload"/> is encoded.</summary>
public enum InputFormat : byte
{
    /// <summary>A TaskRouter callback form body.</summary>
    Form = 0,

    /// <summary>The JSON text of one Event Streams CloudEvent.</summary>
    EventStreams = 1,
}

/// <summary>A chat plugin transfer found on a new task, handed to the original task's grain.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.TransferInput")]
public sealed record TransferInput(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string OriginalTaskSid,
    [property: Id(2)] string NewTaskSid,
    [property: Id(3)] long TimeMs,
    [property: Id(4)] string? OriginalReservationSid);
