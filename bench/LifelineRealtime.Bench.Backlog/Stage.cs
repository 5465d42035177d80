using System.Globalization;
using System.Text.Json;

namespace LifelineRealtime.Bench.Backlog;

/// <summary>One backlog size: the live answer over HTTP, a crowd of subscribers, then pushes while tasks come and go.</summary>
internal sealed record Stage(int Tasks, LiveAnswer Live, SubscribeResult Subscribe, CadenceResult Cadence)
{
    /// <summary>Tasks that live for about a second each keep every second a change while the backlog stays the same size.</summary>
    private const int TrickleFirst = 50_000_000;

    public static async Task<Stage> RunAsync(BacklogHost host, Webhooks webhooks, int tasks, int clients, int seconds, bool report = true)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        var live = await LiveAsync(http);
        await using var boards = await Wallboards.ConnectAsync(host.Address, clients);
        var subscribe = await boards.SubscribeAllAsync(TimeSpan.FromSeconds(60));
        Report(report, string.Create(CultureInfo.InvariantCulture,
            $"{tasks:N0} open: live answer {live.Bytes:N0} bytes ({live.Open:N0} open, {live.Stuck:N0} stuck, {live.Groups} waiting groups); {subscribe.Ready}/{subscribe.Clients} subscribers had their snapshot and live state, the last after {subscribe.AllMs:F0} ms (p50 {subscribe.Percentile(50):F0}, p99 {subscribe.Percentile(99):F0}; {subscribe.FailedCalls} Subscribe calls failed); a client's LiveChanged was {subscribe.LiveBytes:N0} bytes"));

        await Task.Delay(TimeSpan.FromSeconds(1));
        boards.StartWindow();
        var started = DateTimeOffset.UtcNow;
        var n = TrickleFirst + (tasks * 10) + (report ? 0 : 1_000_000);
        var open = new Queue<int>();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            while (DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(seconds) && await timer.WaitForNextTickAsync())
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await webhooks.PostAsync(webhooks.Created(n, now));
                open.Enqueue(n++);
                if (open.Count > 10)
                {
                    await webhooks.PostAsync(webhooks.Canceled(open.Dequeue(), now));
                }
            }
        }

        var cadence = boards.StopWindow();
        while (open.Count > 0)
        {
            await webhooks.PostAsync(webhooks.Canceled(open.Dequeue(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        await host.DrainAsync();
        Report(report, string.Create(CultureInfo.InvariantCulture,
            $"  pushes over {cadence.Seconds} s with 20 events/s: {cadence.EverySecond}/{cadence.Clients} clients had a LiveChanged in every second, {cadence.Coverage:P1} of client-seconds; largest gap per client p50 {cadence.Gap(50):F0} ms, p99 {cadence.Gap(99):F0} ms, max {cadence.Gap(100):F0} ms; {cadence.LiveMessages:N0} LiveChanged and {cadence.UpdatedMessages:N0} Updated received"));
        return new Stage(tasks, live, subscribe, cadence);
    }

    private static void Report(bool report, string line)
    {
        if (report)
        {
            Console.WriteLine(line);
        }
    }

    public static async Task<LiveAnswer> LiveAsync(HttpClient http)
    {
        var body = await http.GetByteArrayAsync(new Uri("/api/platforms/digi/live", UriKind.Relative));
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var tasks = root.GetProperty("tasks");
        var open = tasks.GetProperty("pending").GetInt32() + tasks.GetProperty("reserved").GetInt32() + tasks.GetProperty("assigned").GetInt32() + tasks.GetProperty("wrapping").GetInt32();
        return new LiveAnswer(body.Length, open, root.GetProperty("stuckTotal").GetInt32(), root.GetProperty("waitingTotal").GetInt32());
    }

    public void PrintRow() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {Tasks:N0} open | {Live.Open:N0} | {Live.Stuck:N0} | {Live.Bytes:N0} | {Subscribe.Ready}/{Subscribe.Clients} | {Subscribe.AllMs:F0} | {Subscribe.Percentile(50):F0} | {Subscribe.Percentile(99):F0} | {Cadence.EverySecond}/{Cadence.Clients} | {Cadence.Coverage:P1} | {Cadence.Gap(50):F0} / {Cadence.Gap(100):F0} |"));
}

internal sealed record LiveAnswer(int Bytes, int Open, int Stuck, int Groups);
