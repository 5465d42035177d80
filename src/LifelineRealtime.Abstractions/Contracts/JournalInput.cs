using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>
/// One journaled event as a task or worker grain receives it: the journal sequence, the wire text (what the
/// grain persists, exactly as it was journaled) and, within one process, the event already parsed.
/// </summary>
/// <remarks>
/// The event is parsed once on its way in: the webhook parses it, the journal hands the same object to the
/// dispatcher, and the dispatcher hands it to the grain in <see cref="Event"/>. The record is immutable, so a
/// call to a grain in the same silo passes it by reference. <see cref="Event"/> is not serialized: the event
/// hierarchy never crosses a process boundary, and a grain in another silo, or one rebuilding from its stored
/// inputs, parses <see cref="Payload"/> with the parser the journal uses.
/// </remarks>
[GenerateSerializer, Immutable, Alias("lifeline.JournalInput")]
public sealed record JournalInput(
    [property: Id(0)] long Sequence,
    [property: Id(1)] InputFormat Format,
    [property: Id(2)] string Payload)
{
    [NonSerialized]
    private readonly TaskRouterEvent? _event;

    /// <summary>The parsed event when the input was made in this process; null after serialization.</summary>
    public TaskRouterEvent? Event { get => _event; init => _event = value; }
}

/// <summary>How <see cref="JournalInput.Payload"/> is encoded.</summary>
public enum InputFormat : byte
{
    /// <summary>A TaskRouter callback form body.</summary>
    Form = 0,

    /// <summary>The JSON text of one Event Streams CloudEvent.</summary>
    EventStreams = 1,

    /// <summary>The JSON text of one TaskRouter Events REST resource (backfill).</summary>
    EventsResource = 2,
}

/// <summary>Which parser reads an input's payload.</summary>
public static class InputFormats
{
    public static EventPayloadFormat ToPayloadFormat(this InputFormat format) => format switch
    {
        InputFormat.Form => EventPayloadFormat.Form,
        InputFormat.EventStreams => EventPayloadFormat.CloudEvent,
        InputFormat.EventsResource => EventPayloadFormat.EventResource,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown input format"),
    };
}

/// <summary>A chat plugin transfer found on a new task, handed to the original task's grain.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.TransferInput")]
public sealed record TransferInput(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string OriginalTaskSid,
    [property: Id(2)] string NewTaskSid,
    [property: Id(3)] long TimeMs,
    [property: Id(4)] string? OriginalReservationSid);
