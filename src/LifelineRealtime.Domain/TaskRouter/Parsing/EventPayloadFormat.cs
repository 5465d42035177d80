namespace LifelineRealtime.Domain.TaskRouter.Parsing;

/// <summary>The wire text an event is kept in, which decides how it is parsed again (<see cref="TaskRouterEventParser.ParsePayload"/>).</summary>
public enum EventPayloadFormat
{
    /// <summary>A workspace callback's form body.</summary>
    Form,

    /// <summary>The JSON text of one Event Streams CloudEvent.</summary>
    CloudEvent,

    /// <summary>The JSON text of one TaskRouter Events REST resource (<c>GET /v1/Workspaces/{WS}/Events</c>), read by backfill.</summary>
    EventResource,
}
