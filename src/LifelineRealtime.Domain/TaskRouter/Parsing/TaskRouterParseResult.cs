using System.Collections.Immutable;

namespace LifelineRealtime.Domain.TaskRouter.Parsing;

/// <summary>One problem with an incoming event, naming the wire field it concerns.</summary>
/// <param name="Field">The field as the sender spelled it (<c>TaskSid</c>, <c>[0].data.payload.task_sid</c>).</param>
/// <param name="Message">What is wrong, without quoting the value (values may be personal information).</param>
public readonly record struct TaskRouterFieldError(string Field, string Message);

/// <summary>The outcome of parsing one event: the event, or the field errors that prevented it.</summary>
public sealed class TaskRouterParseResult
{
    private TaskRouterParseResult(TaskRouterEvent? value, ImmutableArray<TaskRouterFieldError> errors)
    {
        Event = value;
        Errors = errors;
    }

    /// <summary>The parsed event; null when <see cref="Errors"/> is not empty.</summary>
    public TaskRouterEvent? Event { get; }

    public ImmutableArray<TaskRouterFieldError> Errors { get; }

    public bool IsSuccess => Event is not null;

    public static TaskRouterParseResult Success(TaskRouterEvent value) => new(value, []);

    public static TaskRouterParseResult Failure(ImmutableArray<TaskRouterFieldError> errors) =>
        errors.IsDefaultOrEmpty ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(null, errors);
}

/// <summary>One CloudEvent of an Event Streams body, with its JSON text exactly as received.</summary>
/// <param name="Event">The TaskRouter event carried in <c>data.payload</c>.</param>
/// <param name="RawJson">The CloudEvent's own JSON text (a slice of the body), as the journal stores it.</param>
public sealed record EventStreamsItem(TaskRouterEvent Event, string RawJson);

/// <summary>
/// The outcome of parsing an Event Streams body. A body is accepted or refused as a whole: Event Streams
/// redelivers a refused batch, so accepting half of it would only split one delivery in two.
/// </summary>
public sealed class EventStreamsParseResult
{
    private EventStreamsParseResult(ImmutableArray<EventStreamsItem> items, ImmutableArray<TaskRouterFieldError> errors)
    {
        Items = items;
        Errors = errors;
    }

    /// <summary>The events in body order; empty when <see cref="Errors"/> is not empty.</summary>
    public ImmutableArray<EventStreamsItem> Items { get; }

    public ImmutableArray<TaskRouterFieldError> Errors { get; }

    public bool IsSuccess => Errors.IsEmpty;

    public static EventStreamsParseResult Success(ImmutableArray<EventStreamsItem> items) => new(items, []);

    public static EventStreamsParseResult Failure(ImmutableArray<TaskRouterFieldError> errors) => new([], errors);
}
