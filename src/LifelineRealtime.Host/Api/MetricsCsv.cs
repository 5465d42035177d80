using System.Globalization;
using System.Text;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// Reports as CSV (RFC 4180, comma separated, CRLF line ends): one line per window and support type, the
/// window's <c>total</c> line first, then every support type of the snapshot in name order. An empty
/// statistic or a rate with a zero denominator is an empty field. Columns are documented in docs/api.md.
/// </summary>
public static class MetricsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public const string TotalRow = "total";

    private static readonly string[] Durations = ["waitSeconds", "abandonedWaitSeconds", "talkSeconds", "wrapSeconds", "handleSeconds"];

    private static readonly string[] DurationParts = ["count", "sum", "avg", "max", "p50", "p90"];

    public static readonly IReadOnlyList<string> Columns =
    [
        "platform", "scope", "id", "window", "start", "end", "timeZone", "supportType",
        "offered", "handled", "abandoned", "reservations", "rejected", "timedOut", "transferred", "shortAbandoned", "answeredInThreshold",
        .. Durations.SelectMany(d => DurationParts.Select(p => $"{d}.{p}")),
        "rejectRate", "timeoutRate", "transferRate", "abandonRate", "serviceLevel",
    ];

    public static string Write(IEnumerable<MetricsSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append("\r\n");
        foreach (var snapshot in snapshots)
        {
            AppendRow(csv, snapshot, TotalRow, snapshot.Totals);
            foreach (var (supportType, values) in snapshot.BySupportType)
            {
                AppendRow(csv, snapshot, supportType, values);
            }
        }

        return csv.ToString();
    }

    private static void AppendRow(StringBuilder csv, MetricsSnapshot snapshot, string supportType, MetricValues v)
    {
        var fields = new List<string>(Columns.Count)
        {
            Text(snapshot.Platform), Text(snapshot.Scope), Text(snapshot.Id), Text(snapshot.Window.Name),
            Instant(snapshot.Window.Start), Instant(snapshot.Window.End), Text(snapshot.Window.TimeZone), Text(supportType),
            Count(v.Offered), Count(v.Handled), Count(v.Abandoned), Count(v.Reservations), Count(v.Rejected), Count(v.TimedOut),
            Count(v.Transferred), Count(v.ShortAbandoned), Count(v.AnsweredInThreshold),
        };
        foreach (var d in (DurationStats[])[v.WaitSeconds, v.AbandonedWaitSeconds, v.TalkSeconds, v.WrapSeconds, v.HandleSeconds])
        {
            fields.AddRange([Count(d.Count), Number(d.Sum), Number(d.Avg), Number(d.Max), Number(d.P50), Number(d.P90)]);
        }

        fields.AddRange([Number(v.RejectRate), Number(v.TimeoutRate), Number(v.TransferRate), Number(v.AbandonRate), Number(v.ServiceLevel)]);
        csv.AppendJoin(',', fields).Append("\r\n");
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    internal static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Team names are free text: quote a field holding a comma, quote or line break, doubling its quotes.</summary>
    internal static string Text(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
