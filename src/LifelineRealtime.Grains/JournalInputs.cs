using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Grains;

/// <summary>The event a grain's input stands for: the one parsed on the way in, else its wire text parsed again.</summary>
internal static class JournalInputs
{
    public static TaskRouterEvent? EventOf(JournalInput input) => input.Event ?? Parse(input);

    /// <summary>Parses the wire text with the parser the journal uses (stored inputs, or an input from another silo).</summary>
    private static TaskRouterEvent? Parse(JournalInput input) =>
        TaskRouterEventParser.ParsePayload(input.Format.ToPayloadFormat(), input.Payload).Event;
}
