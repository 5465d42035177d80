using System.Collections.Immutable;
using System.Globalization;

namespace LifelineRealtime.Domain.TaskRouter.Parsing;

/// <summary>
/// Builds one <see cref="TaskRouterEvent"/> from a flat field map in any wire format. Every problem is
/// collected (not just the first) and names the field as the sender spelled it. Runs on every webhook
/// and again on every journal replay, so it sticks to dictionary look-ups and span parsing.
/// </summary>
internal sealed class EventFieldReader
{
    private readonly IReadOnlyDictionary<string, string> _fields;
    private readonly WireNames _names;
    private readonly string _errorPrefix;
    private List<TaskRouterFieldError>? _errors;

    public EventFieldReader(IReadOnlyDictionary<string, string> fields, WireNames names, string errorPrefix)
    {
        _fields = fields;
        _names = names;
        _errorPrefix = errorPrefix;
    }

    public TaskRouterParseResult Read()
    {
        var n = _names;
        var sid = RequiredSid(n.Sid, 'E', 'V');
        var eventType = Required(n.EventType);
        var accountSid = RequiredSid(n.AccountSid, 'A', 'C');
        var workspaceSid = RequiredSid(n.WorkspaceSid, 'W', 'S');
        var timestampMs = EventTime();
        var type = TaskRouterEventTypes.Parse(eventType);

        TaskRouterEvent built = type switch
        {
            TaskRouterEventType.Unknown => new UnknownEvent
            {
                Sid = sid!,
                EventType = eventType!,
                Type = type,
                AccountSid = accountSid!,
                WorkspaceSid = workspaceSid!,
                TimestampMs = timestampMs,
                Fields = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, _fields),
            },
            _ when type.IsTransfer() => new TransferEvent
            {
                Sid = sid!,
                EventType = eventType!,
                Type = type,
                AccountSid = accountSid!,
                WorkspaceSid = workspaceSid!,
                TimestampMs = timestampMs,
                Task = Task(),
                TransferMode = Optional(n.TransferMode),
                TransferType = Optional(n.TransferType),
                TransferTo = Optional(n.TransferTo),
                TransferStatus = Optional(n.TransferStatus),
                TransferInitiatingReservationSid = OptionalSid(n.TransferInitiatingReservationSid, 'W', 'R'),
                TransferInitiatingWorkerSid = OptionalSid(n.TransferInitiatingWorkerSid, 'W', 'K'),
                // Callbacks name the transfer only as the event's resource (ResourceType=transfer).
                TaskTransferSid = Optional(n.TaskTransferSid)
                    ?? (Optional(n.ResourceType) == "transfer" ? Optional(n.ResourceSid) : null),
            },
            _ when type.IsReservation() => new ReservationEvent
            {
                Sid = sid!,
                EventType = eventType!,
                Type = type,
                AccountSid = accountSid!,
                WorkspaceSid = workspaceSid!,
                TimestampMs = timestampMs,
                Task = Task(),
                ReservationSid = RequiredSid(n.ReservationSid, 'W', 'R')!,
                ReservationVersion = OptionalLong(n.ReservationVersion),
                // A failed reservation was never assigned to anyone (../shared/twilio §1.3).
                Worker = type == TaskRouterEventType.ReservationFailed && Optional(n.WorkerSid) is null ? null : Worker(),
            },
            TaskRouterEventType.TaskQueueCreated or TaskRouterEventType.TaskQueueDeleted or TaskRouterEventType.TaskQueueExpressionUpdated => new TaskQueueEvent
            {
                Sid = sid!,
                EventType = eventType!,
                Type = type,
                AccountSid = accountSid!,
                WorkspaceSid = workspaceSid!,
                TimestampMs = timestampMs,
                TaskQueueSid = RequiredSid(n.TaskQueueSid, 'W', 'Q')!,
                TaskQueueName = Optional(n.TaskQueueName),
                TargetExpression = Optional(n.TaskQueueTargetExpression),
            },
            >= TaskRouterEventType.WorkerCreated and <= TaskRouterEventType.WorkerChannelAvailabilityUpdate => new WorkerEvent
            {
                Sid = sid!,
                EventType = eventType!,
                Type = type,
                AccountSid = accountSid!,
                WorkspaceSid = workspaceSid!,
                TimestampMs = timestampMs,
                Worker = Worker(),
                PreviousActivitySid = Optional(n.WorkerPreviousActivitySid),
                PreviousActivityName = Optional(n.WorkerPreviousActivityName),
                TimeInPreviousActivityMs = TimeInPreviousActivity(),
            },
            _ when type.IsTaskLifecycle() || type is >= TaskRouterEventType.TaskQueueEntered and <= TaskRouterEventType.TaskQueueMoved
                || type is >= TaskRouterEventType.WorkflowEntered and <= TaskRouterEventType.WorkflowRejected => new TaskEvent
                {
                    Sid = sid!,
                    EventType = eventType!,
                    Type = type,
                    AccountSid = accountSid!,
                    WorkspaceSid = workspaceSid!,
                    TimestampMs = timestampMs,
                    Task = Task(),
                    PreviousTaskQueueSid = OptionalSid(n.PreviousTaskQueueSid, 'W', 'Q'),
                },
            _ => new ConfigurationEvent
            {
                Sid = sid!,
                EventType = eventType!,
                Type = type,
                AccountSid = accountSid!,
                WorkspaceSid = workspaceSid!,
                TimestampMs = timestampMs,
            },
        };

        if (_errors is not null)
        {
            return TaskRouterParseResult.Failure([.. _errors]);
        }

        return TaskRouterParseResult.Success(built with
        {
            ResourceType = Optional(n.ResourceType),
            ResourceSid = Optional(n.ResourceSid),
        });
    }

    private TaskInfo Task()
    {
        var n = _names;
        return new TaskInfo
        {
            Sid = RequiredSid(n.TaskSid, 'W', 'T') ?? "",
            Attributes = Attributes(n.TaskAttributes),
            TaskQueueSid = OptionalSid(n.TaskQueueSid, 'W', 'Q'),
            TaskQueueName = Optional(n.TaskQueueName),
            WorkflowSid = OptionalSid(n.WorkflowSid, 'W', 'W'),
            AssignmentStatus = Optional(n.TaskAssignmentStatus),
            Age = OptionalLong(n.TaskAge),
            Priority = OptionalInt(n.TaskPriority),
            Version = OptionalLong(n.TaskVersion),
            TaskChannelUniqueName = Optional(n.TaskChannelUniqueName),
            CanceledReason = Optional(n.TaskCanceledReason),
            CompletedReason = Optional(n.TaskCompletedReason),
            DateCreatedMs = OptionalTime(n.TaskDateCreated),
            TaskQueueEnteredDateMs = OptionalTime(n.TaskQueueEnteredDate),
        };
    }

    private WorkerInfo Worker()
    {
        var n = _names;
        return new WorkerInfo
        {
            Sid = RequiredSid(n.WorkerSid, 'W', 'K') ?? "",
            Name = Optional(n.WorkerName),
            Attributes = Attributes(n.WorkerAttributes),
            ActivitySid = Optional(n.WorkerActivitySid),
            ActivityName = Optional(n.WorkerActivityName),
            Version = OptionalLong(n.WorkerVersion),
        };
    }

    private long EventTime()
    {
        // Milliseconds when the sender gives them; the seconds field (or an ISO time) otherwise.
        if (Optional(_names.TimestampMs) is { } ms)
        {
            if (long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(_names.TimestampMs, "must be a whole number of Unix milliseconds");
            return 0;
        }

        if (Optional(_names.TimestampSeconds) is { } seconds)
        {
            if (TryParseTime(seconds, out var value))
            {
                return value;
            }

            Error(_names.TimestampSeconds, "must be Unix seconds or an ISO-8601 time");
            return 0;
        }

        Error(_names.TimestampMs, "is required");
        return 0;
    }

    private long? TimeInPreviousActivity()
    {
        var ms = OptionalLong(_names.WorkerTimeInPreviousActivityMs);
        if (ms is not null)
        {
            return ms;
        }

        var seconds = OptionalLong(_names.WorkerTimeInPreviousActivitySeconds);
        return seconds * 1000;
    }

    private TaskRouterAttributes Attributes(string name)
    {
        var json = Optional(name);
        if (json is null)
        {
            return TaskRouterAttributes.Empty;
        }

        try
        {
            return TaskRouterAttributes.Parse(json);
        }
        catch (FormatException e)
        {
            Error(name, e.Message);
            return TaskRouterAttributes.Empty;
        }
    }

    private string? Optional(string name) =>
        _fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private string? Required(string name)
    {
        var value = Optional(name);
        if (value is null)
        {
            Error(name, "is required");
        }

        return value;
    }

    private string? RequiredSid(string name, char first, char second)
    {
        var value = Required(name);
        return value is null ? null : CheckSid(name, value, first, second);
    }

    private string? OptionalSid(string name, char first, char second)
    {
        var value = Optional(name);
        return value is null ? null : CheckSid(name, value, first, second);
    }

    private string? CheckSid(string name, string value, char first, char second)
    {
        if (IsSid(value, first, second))
        {
            return value;
        }

        Error(name, $"must be {first}{second} followed by 32 hex digits");
        return null;
    }

    private long? OptionalLong(string name) => OptionalNumber<long>(name);

    private int? OptionalInt(string name) => OptionalNumber<int>(name);

    private T? OptionalNumber<T>(string name)
        where T : struct, System.Numerics.INumber<T>
    {
        var value = Optional(name);
        if (value is null)
        {
            return null;
        }

        if (T.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        Error(name, "must be a whole number");
        return null;
    }

    private long? OptionalTime(string name)
    {
        var value = Optional(name);
        if (value is null)
        {
            return null;
        }

        if (TryParseTime(value, out var result))
        {
            return result;
        }

        Error(name, "must be Unix seconds or an ISO-8601 time");
        return null;
    }

    /// <summary>Callbacks send Unix seconds, Event Streams ISO-8601; both become Unix milliseconds.</summary>
    internal static bool TryParseTime(string value, out long unixMs)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds <= long.MaxValue / 1000)
            {
                unixMs = seconds * 1000;
                return true;
            }

            unixMs = 0;
            return false;
        }

        if (value.Length >= 10 && value[4] == '-'
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            unixMs = time.ToUnixTimeMilliseconds();
            return true;
        }

        unixMs = 0;
        return false;
    }

    /// <summary>Two upper-case letters then 32 hex digits (../shared/twilio §10).</summary>
    internal static bool IsSid(ReadOnlySpan<char> value, char first, char second) =>
        value.Length == 34 && value[0] == first && value[1] == second && IsHex(value[2..]);

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private void Error(string name, string message) =>
        (_errors ??= []).Add(new TaskRouterFieldError(_errorPrefix + name, $"{name} {message}"));
}
