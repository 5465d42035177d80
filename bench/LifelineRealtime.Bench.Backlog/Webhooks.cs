using System.Globalization;
using System.Net;
using System.Text;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Bench.Backlog;

/// <summary>
/// Task callbacks as Twilio sends them: the fixtures' real-sized form bodies (task.created, task.canceled) with
/// this run's Sids and times, signed with the platform's token and posted to the webhook by concurrent senders.
/// Bodies are built as they are sent, so the benchmark holds none of them while memory is measured.
/// </summary>
internal sealed class Webhooks(HttpClient http)
{
    private const string Path = "/webhooks/taskrouter/digi";
    private const int Senders = 16;
    private const long StuckPendingMs = 10 * 60_000;

    private readonly Dictionary<string, string> _created = Template("01-task.created.form");
    private readonly Dictionary<string, string> _canceled = Template("13-task.canceled.form");

    public static string TaskSid(int n) => "WT" + n.ToString("x32", CultureInfo.InvariantCulture);

    public static string QueueSid(int n) => "WQ" + (n % 50).ToString("x32", CultureInfo.InvariantCulture);

    private static readonly string[] TypeMix = ["imminent", "safety", "support", "support", "support", "support", "check_in", "check_out", "debrief", "technical_support"];

    /// <summary>All seven support types in every queue (350 queue × type groups), a fifth of the tasks urgent.</summary>
    public static string SupportType(int n) => TypeMix[n / 50 % TypeMix.Length];

    /// <summary>
    /// When task n was created, relative to when it is sent: one in 79 has been pending 11 to 30 minutes (past the
    /// 10-minute stuck threshold, the share of the backlog that prompted this benchmark), the rest up to 3 minutes.
    /// </summary>
    public static long AgeMs(int n) => n % 79 == 0 ? StuckPendingMs + 60_000 + (n * 7_919L % 1_140_000) : n * 104_729L % 180_000;

    /// <summary>Creates tasks <paramref name="from"/> to <paramref name="to"/> − 1.</summary>
    public Task CreateAsync(int from, int to) => SendAsync(from, to, n => Created(n, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - AgeMs(n)));

    /// <summary>Cancels tasks <paramref name="from"/> to <paramref name="to"/> − 1 (abandoned while waiting).</summary>
    public Task CancelAsync(int from, int to) => SendAsync(from, to, n => Canceled(n, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public async Task PostAsync(Dictionary<string, string> fields, CancellationToken cancellationToken = default)
    {
        var body = TwilioTestSigner.FormBody(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Twilio-Signature", TwilioTestSigner.Sign(BacklogHost.AuthToken, BacklogHost.PublicBaseUrl + Path, fields));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public Dictionary<string, string> Created(int n, long timeMs)
    {
        var fields = Fill(_created, "c", n, timeMs);
        fields["TaskAge"] = "0";
        fields["TaskDateCreated"] = (timeMs / 1000).ToString(CultureInfo.InvariantCulture);
        fields["TaskQueueSid"] = QueueSid(n);
        fields["TaskAttributes"] = fields["TaskAttributes"]
            .Replace("\"supportType\":\"imminent\"", $"\"supportType\":\"{SupportType(n)}\"", StringComparison.Ordinal)
            .Replace("d1000001", n.ToString("x8", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return fields;
    }

    public Dictionary<string, string> Canceled(int n, long timeMs)
    {
        var fields = Fill(_canceled, "d", n, timeMs);
        fields["TaskQueueSid"] = QueueSid(n);
        return fields;
    }

    private static Dictionary<string, string> Fill(Dictionary<string, string> template, string kind, int n, long timeMs)
    {
        var task = TaskSid(n);
        var fields = new Dictionary<string, string>(template, StringComparer.Ordinal)
        {
            ["Sid"] = "EV" + kind + n.ToString("x31", CultureInfo.InvariantCulture),
            ["TaskSid"] = task,
            ["ResourceSid"] = task,
            ["EventDescription"] = template["EventDescription"].Replace(template["TaskSid"], task, StringComparison.Ordinal),
            ["Timestamp"] = (timeMs / 1000).ToString(CultureInfo.InvariantCulture),
            ["TimestampMs"] = timeMs.ToString(CultureInfo.InvariantCulture),
        };
        return fields;
    }

    private async Task SendAsync(int from, int to, Func<int, Dictionary<string, string>> fields) =>
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = Senders },
            async (n, cancellationToken) => await PostAsync(fields(n), cancellationToken));

    private static Dictionary<string, string> Template(string name) =>
        TaskRouterEventParser.DecodeForm(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name)).Trim());
}
