using System.Globalization;
using System.Net;
using System.Text.Json;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Host.Tests.Wallboard.WallboardIngest;

namespace LifelineRealtime.Host.Tests.Wallboard;

/// <summary>
/// The live answer with more open tasks than <c>Lifeline:Live:MaxListed</c>: over HTTP and on the hub it lists
/// exactly the cap, the longest waiting and the oldest stuck first, with exact counts beside every list.
/// </summary>
public sealed class LiveListTests
{
    private const int Cap = 3;
    private const int Tasks = 12;

    /// <summary>The clock: T0 + 30 min.</summary>
    private const long NowMs = T0 + 1_800_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (LifelineHostFactory Factory, FakeTimeProvider Clock) Host(int maxListed = Cap)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(NowMs));
        var factory = new LifelineHostFactory(
            s => s["Lifeline:Live:MaxListed"] = maxListed.ToString(CultureInfo.InvariantCulture),
            s => s.AddSingleton<TimeProvider>(clock));
        return (factory, clock);
    }

    /// <summary>
    /// Task n is created n minutes less 30 s before the clock, so the oldest has waited longest; pending past
    /// 10 minutes is stuck (tasks 11 and 12). Odd tasks are imminent, even ones support.
    /// </summary>
    private static IEnumerable<Dictionary<string, string>> Created() =>
        Enumerable.Range(1, Tasks).Select(n => Fields(n, "task.created", NowMs - (n * 60_000L) + 30_000, supportType: n % 2 == 1 ? "imminent" : "support"));

    private static string Sid(int n) => "WT" + n.ToString("x32", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Live_MoreOpenTasksThanTheCap_ListsTheCapLongestWaitingFirstWithExactCounts()
    {
        var (factory, _) = Host();
        await using var _ = factory;
        await AppendAndDispatchAsync(factory, Created(), Ct);

        var live = await GetLiveAsync(factory);

        Assert.Equal(Cap, live.MaxListed);
        Assert.Equal((Tasks, 0, 0, 0, Tasks, 2, Tasks / 2), (live.Tasks.Pending, live.Tasks.Reserved, live.Tasks.Assigned, live.Tasks.Wrapping, live.Tasks.Waiting, live.Tasks.Stuck, live.Tasks.UrgentWaiting));
        Assert.Equal([Sid(12), Sid(11), Sid(10)], live.LongestWaiting.Select(t => t.TaskSid));
        Assert.Equal([690.0, 630.0, 570.0], live.LongestWaiting.Select(t => t.WaitSeconds));
        Assert.Equal(Tasks, live.LongestWaitingTotal);
        Assert.Equal([Sid(12), Sid(11)], live.Stuck.Select(t => t.TaskSid));
        Assert.Equal(2, live.StuckTotal);
        var imminent = live.Tasks.BySupportType["imminent"];
        var support = live.Tasks.BySupportType["support"];
        Assert.Equal((6, 6, 1, 630.0, true), (imminent.Pending, imminent.Waiting, imminent.Stuck, imminent.LongestWaitSeconds, imminent.Urgent));
        Assert.Equal((6, 6, 1, 690.0, false), (support.Pending, support.Waiting, support.Stuck, support.LongestWaitSeconds, support.Urgent));
        Assert.Equal(0, live.Tasks.BySupportType["safety"].Pending);
        Assert.Equal(live.Tasks.Waiting, live.Waiting.Sum(w => w.Count));
        Assert.Equal(2, live.WaitingTotal);
    }

    [Fact]
    public async Task Live_TheStuckListIsCappedToo_OldestInStatusFirst()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await AppendAndDispatchAsync(factory, Created(), Ct);

        // 20 minutes on, every task has been pending more than 20 minutes.
        clock.Advance(TimeSpan.FromMinutes(20));
        var live = await GetLiveAsync(factory);

        Assert.Equal(Tasks, live.StuckTotal);
        Assert.Equal(Tasks, live.Tasks.Stuck);
        Assert.Equal([Sid(12), Sid(11), Sid(10)], live.Stuck.Select(t => t.TaskSid));
        Assert.Equal([1890.0, 1830.0, 1770.0], live.Stuck.Select(t => t.SecondsInStatus));
        Assert.All(live.Stuck, t => Assert.Equal("pending", t.Status));
    }

    [Fact]
    public async Task Hub_SnapshotAndLiveChanged_AreCappedWithTheirTotals()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);
        await AppendAndDispatchAsync(factory, Created(), Ct);

        await board.SubscribeAsync("digi", "platform", "digi", "15m", Ct);
        var (first, _) = await board.NextOfKindAsync("LiveChanged", Ct);
        await AppendAndDispatchAsync(factory, [Fields(13, "task.created", NowMs - 750_000)], Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (changed, _) = await board.NextOfKindAsync("LiveChanged", Ct);

        Assert.Equal(Cap, first.Live.LongestWaiting.Length);
        Assert.Equal((Tasks, 2), (first.Live.LongestWaitingTotal, first.Live.StuckTotal));
        Assert.Equal([Sid(13), Sid(12), Sid(11)], changed.Live.LongestWaiting.Select(t => t.TaskSid));
        Assert.Equal([Sid(13), Sid(12), Sid(11)], changed.Live.Stuck.Select(t => t.TaskSid));
        Assert.Equal((Tasks + 1, 3), (changed.Live.LongestWaitingTotal, changed.Live.StuckTotal));
    }

    [Fact]
    public async Task Live_TasksClose_CountsAndListsEmpty()
    {
        var (factory, _) = Host();
        await using var _ = factory;
        await AppendAndDispatchAsync(factory, Created(), Ct);

        await AppendAndDispatchAsync(factory, Enumerable.Range(1, Tasks).Select(n => Fields(n, "task.canceled", NowMs - 100)), Ct);
        var live = await GetLiveAsync(factory);

        Assert.Equal((0, 0, 0, 0), (live.Tasks.Pending, live.Tasks.Waiting, live.Tasks.Stuck, live.Tasks.UrgentWaiting));
        Assert.Empty(live.LongestWaiting);
        Assert.Empty(live.Stuck);
        Assert.Empty(live.Waiting);
        Assert.Equal((0, 0, 0), (live.LongestWaitingTotal, live.StuckTotal, live.WaitingTotal));
        Assert.All(live.Tasks.BySupportType.Values, t => Assert.Equal(0, t.Pending));
    }

    [Fact]
    public async Task Alert_MoreUrgentTasksBreachingThanTheCap_RaisedAtMostTheCapARoundLongestWaitingFirst()
    {
        var (factory, clock) = Host();
        await using var _ = factory;
        await using var board = await WallboardConnection.ConnectAsync(factory, Ct);
        await board.SubscribeAsync("digi", "platform", "digi", "15m", Ct);
        await board.NextOfKindAsync("LiveChanged", Ct);

        // Five imminent tasks past the 30 s threshold, appended newest first: task n has waited 40 + n seconds.
        await AppendAndDispatchAsync(factory, Enumerable.Range(1, 5).Reverse().Select(n => Fields(100 + n, "task.created", NowMs - 40_000 - (n * 1_000L))), Ct);
        var alerts = new List<Alert>();
        while (alerts.Count < 5)
        {
            alerts.Add((await NextAlertAsync(board, clock)).Alert);
        }

        Assert.Equal([Sid(105), Sid(104), Sid(103), Sid(102), Sid(101)], alerts.Select(a => a.TaskSid));
        Assert.All(alerts, a => Assert.Equal(Alert.Raised, a.State));
        var firstRound = alerts[0].At;
        Assert.All(alerts.Take(Cap), a => Assert.Equal(firstRound, a.At));
        Assert.All(alerts.Skip(Cap), a => Assert.True(a.At > firstRound));
    }

    /// <summary>The next Alert; the clock moves a second at a time until one comes (a round is due each second).</summary>
    private static async Task<WallboardMessage> NextAlertAsync(WallboardConnection board, FakeTimeProvider clock)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                return (await board.NextOfKindAsync("Alert", wait.Token)).Message;
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested && attempt < 10)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task HostStart_MaxListedOutOfRange_FailsNamingTheKey(int maxListed)
    {
        var (factory, _) = Host(maxListed);
        await using var _ = factory;

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Lifeline:Live:MaxListed must be between 1 and 1000", error.Failures);
    }

    private static async Task<LiveSnapshot> GetLiveAsync(LifelineHostFactory factory)
    {
        using var http = factory.CreateClient();
        using var response = await http.GetAsync(new Uri("/api/platforms/digi/live", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        return JsonSerializer.Deserialize<LiveSnapshot>(body, LifelineJson.Options)!;
    }
}
