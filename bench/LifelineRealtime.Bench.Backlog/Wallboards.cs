using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LifelineRealtime.Bench.Backlog;

/// <summary>
/// Real SignalR .NET clients on real WebSockets, each a wallboard of the platform scope: they subscribe all at
/// once (a room of TVs after a restart), and then record when each LiveChanged and Updated arrives.
/// </summary>
internal sealed class Wallboards : IAsyncDisposable
{
    private readonly List<Board> _boards;

    private Wallboards(List<Board> boards) => _boards = boards;

    /// <summary>Opens the connections 50 at a time (a burst of handshakes would only measure the accept queue); none subscribes yet.</summary>
    public static async Task<Wallboards> ConnectAsync(Uri address, int count)
    {
        var boards = new List<Board>(count);
        for (var start = 0; start < count; start += 50)
        {
            var batch = Enumerable.Range(start, Math.Min(50, count - start)).Select(_ => new Board(address)).ToList();
            await Task.WhenAll(batch.Select(b => b.Connection.StartAsync()));
            boards.AddRange(batch);
        }

        return new Wallboards(boards);
    }

    /// <summary>Every client invokes Subscribe at the same moment; the result is when each had its Snapshot and then its first LiveChanged.</summary>
    public async Task<SubscribeResult> SubscribeAllAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var calls = _boards.Select(b => b.SubscribeAsync()).ToList();
        var all = Task.WhenAll(_boards.Select(b => b.Ready.Task));
        await Task.WhenAny(all, Task.Delay(timeout));
        var failed = 0;
        foreach (var call in calls)
        {
            try
            {
                await call.WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or TimeoutException or InvalidOperationException or TaskCanceledException)
            {
                failed++;
            }
        }

        var times = _boards.Where(b => b.Ready.Task.IsCompleted).Select(b => Stopwatch.GetElapsedTime(started, b.FirstLiveAt).TotalMilliseconds).Order().ToArray();
        var bytes = _boards.Select(b => b.FirstLiveBytes).Where(n => n > 0).DefaultIfEmpty(0).Max();
        return new SubscribeResult(_boards.Count, times, failed, bytes);
    }

    /// <summary>From now on, counts what arrives in whole seconds.</summary>
    public void StartWindow()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var board in _boards)
        {
            board.StartWindow(now);
        }
    }

    public CadenceResult StopWindow()
    {
        var end = Stopwatch.GetTimestamp();
        var start = _boards[0].WindowStart;
        var seconds = (int)Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        int everySecond = 0;
        long covered = 0, live = 0, updated = 0;
        var maxGaps = new List<double>();
        foreach (var board in _boards)
        {
            var arrivals = board.StopWindow();
            live += arrivals.Live.Count;
            updated += arrivals.Updated;
            var slots = new bool[seconds];
            foreach (var at in arrivals.Live)
            {
                var slot = (int)Stopwatch.GetElapsedTime(start, at).TotalSeconds;
                if (slot < seconds)
                {
                    slots[slot] = true;
                }
            }

            var hit = slots.Count(s => s);
            covered += hit;
            everySecond += hit == seconds ? 1 : 0;
            var previous = start;
            var gap = 0.0;
            foreach (var at in arrivals.Live.Append(end))
            {
                gap = Math.Max(gap, Stopwatch.GetElapsedTime(previous, at).TotalMilliseconds);
                previous = at;
            }

            maxGaps.Add(gap);
        }

        maxGaps.Sort();
        return new CadenceResult(_boards.Count, seconds, everySecond, (double)covered / (_boards.Count * (long)seconds), live, updated, [.. maxGaps]);
    }

    public async ValueTask DisposeAsync() => await Task.WhenAll(_boards.Select(b => b.Connection.DisposeAsync().AsTask()));

    private sealed class Board
    {
        private readonly Lock _lock = new();
        private List<long>? _live;
        private long _updated;
        private bool _hadSnapshot;

        public Board(Uri address)
        {
            Connection = new HubConnectionBuilder()
                .WithUrl(new Uri(address, "/hubs/wallboard"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                .Build();
            Connection.ServerTimeout = TimeSpan.FromMinutes(2);
            Connection.On<JsonElement>("Snapshot", _ => _hadSnapshot = true);
            Connection.On<JsonElement>("Updated", _ => Interlocked.Increment(ref _updated));
            Connection.On<JsonElement>("LiveChanged", live =>
            {
                var now = Stopwatch.GetTimestamp();
                if (!Ready.Task.IsCompleted && _hadSnapshot)
                {
                    FirstLiveAt = now;
                    FirstLiveBytes = System.Text.Encoding.UTF8.GetByteCount(live.GetRawText());
                    Ready.TrySetResult();
                }

                lock (_lock)
                {
                    _live?.Add(now);
                }
            });
        }

        public HubConnection Connection { get; }

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long FirstLiveAt { get; private set; }

        public int FirstLiveBytes { get; private set; }

        public long WindowStart { get; private set; }

        public Task SubscribeAsync() => Connection.InvokeAsync("Subscribe", "digi", "platform", "digi", "15m");

        public void StartWindow(long now)
        {
            lock (_lock)
            {
                WindowStart = now;
                _live = [];
                Interlocked.Exchange(ref _updated, 0);
            }
        }

        public (List<long> Live, long Updated) StopWindow()
        {
            lock (_lock)
            {
                var live = _live ?? [];
                _live = null;
                return (live, Interlocked.Read(ref _updated));
            }
        }
    }
}

/// <summary>How long each subscriber waited for its snapshot and live state (ms, sorted), and how many never got them.</summary>
internal sealed record SubscribeResult(int Clients, double[] ReadyMs, int FailedCalls, int LiveBytes)
{
    public int Ready => ReadyMs.Length;

    public double AllMs => Ready == Clients ? ReadyMs[^1] : double.PositiveInfinity;

    public double Percentile(double p) => ReadyMs.Length == 0 ? double.NaN : ReadyMs[Math.Min(ReadyMs.Length - 1, (int)Math.Ceiling(p / 100 * ReadyMs.Length) - 1)];
}

/// <summary>Pushes received in a window of whole seconds: clients with a LiveChanged in every second, the share of client-seconds with one, the largest gap per client (ms, sorted).</summary>
internal sealed record CadenceResult(int Clients, int Seconds, int EverySecond, double Coverage, long LiveMessages, long UpdatedMessages, double[] MaxGapMs)
{
    public double Gap(double p) => MaxGapMs[Math.Min(MaxGapMs.Length - 1, (int)Math.Ceiling(p / 100 * MaxGapMs.Length) - 1)];
}
