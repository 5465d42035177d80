using System.Collections.Immutable;
using System.Text;
using LifelineRealtime.Host.Api;

namespace LifelineRealtime.Host.Conversations;

/// <summary>
/// The conversation list as CSV (RFC 4180, CRLF, UTF-8): the JSON's fields, one line per conversation. A text cell
/// that a spreadsheet would run as a formula (starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c>: a CS name or a
/// phone number typed by the public) is prefixed with <c>'</c>.
/// </summary>
public static class ConversationsCsv
{
    public const string ContentType = MetricsCsv.ContentType;

    public static readonly IReadOnlyList<string> Columns =
    [
        "platform", "taskSid", "taskQueueSid", "taskQueueName", "supportType", "channel", "customerName", "customerPseudonymous",
        "conversationSid", "callSid", "conferenceSid", "workerSid", "workerName", "team", "transferredToWorkerSids", "reservations",
        "created", "accepted", "wrapup", "completed", "canceled", "waitSeconds", "talkSeconds", "wrapSeconds", "handleSeconds", "outcome", "transcriptUrl",
    ];

    public static string Write(ImmutableArray<ConversationView> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var r in rows)
        {
            string?[] cells =
            [
                r.Platform, r.TaskSid, r.TaskQueueSid, r.TaskQueueName, r.SupportType, r.Channel, r.CustomerName, r.CustomerPseudonymous ? "true" : "false",
                r.ConversationSid, r.CallSid, r.ConferenceSid, r.WorkerSid, r.WorkerName, r.Team, string.Join(' ', r.TransferredToWorkerSids),
                string.Join(' ', r.Reservations.Select(x => $"{x.ReservationSid}:{x.WorkerSid}:{x.Outcome}")),
                Instant(r.Created), Instant(r.Accepted), Instant(r.Wrapup), Instant(r.Completed), Instant(r.Canceled),
                MetricsCsv.Number(r.WaitSeconds), MetricsCsv.Number(r.TalkSeconds), MetricsCsv.Number(r.WrapSeconds), MetricsCsv.Number(r.HandleSeconds),
                r.Outcome, r.TranscriptUrl,
            ];
            csv.AppendJoin(',', cells.Select(c => c is null ? "" : MetricsCsv.Text(Defused(c)))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string? Instant(DateTimeOffset? at) => at is { } v ? MetricsCsv.Instant(v) : null;

    private static string Defused(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' ? "'" + cell : cell;
}
