using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;

namespace LifelineRealtime.Grains;

/// <summary>Turns the wire text a grain holds back into an event, with the parser the journal uses.</summary>
internal static class JournalInputs
{
    public static TaskRouterEvent? Parse(JournalInput input) =>
        (input.Format == InputFormat.Form
            ? TaskRouterEventParser.ParseFormBody(input.Payload)
            : TaskRouterEventParser.ParseCloudEvent(input.Payload)).Event;
}
