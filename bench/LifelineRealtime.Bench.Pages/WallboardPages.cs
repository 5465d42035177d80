using System.Text.Json;
using Microsoft.Playwright;

namespace LifelineRealtime.Bench.Pages;

/// <summary>What every open page has received so far, summed, and the LiveChanged ages since the last read.</summary>
internal sealed record PushCounts(long Updated, long LiveChanged, long Snapshots, int LivePages, IReadOnlyList<double> LiveAgesMs)
{
    public long Pushes => Updated + LiveChanged;
}

/// <summary>
/// Wall screens in one headless Chromium (Debian's, never downloaded): one browser context per page, as separate
/// TVs each with their own kiosk session. A script installed before the page's own counts what its hub connection
/// receives and notes when the first figure with a value appeared.
/// </summary>
internal sealed class WallboardPages : IAsyncDisposable
{
    // Runs in every document before the page's scripts. The page assigns window.lifelineHub (a @microsoft/signalr
    // HubConnection) before it starts the connection, so the handlers added here see every message from the first.
    // firstFigure is on the navigation's clock (performance.now() starts at navigation), so it is the page's own
    // load time, whatever Playwright's round trips cost.
    private const string Probe = """
        (() => {
          const probe = { firstFigure: null, updated: 0, live: 0, snapshots: 0, ages: [] };
          window.__benchProbe = probe;
          const shown = () => document.querySelector('[data-metric][data-value]:not([data-value=""])');
          const watch = new MutationObserver(() => {
            if (probe.firstFigure === null && shown()) { probe.firstFigure = performance.now(); watch.disconnect(); }
          });
          watch.observe(document, { childList: true, subtree: true });
          let hub;
          Object.defineProperty(window, 'lifelineHub', {
            configurable: true,
            get: () => hub,
            set: (h) => {
              hub = h;
              h.on('Snapshot', () => { probe.snapshots++; });
              h.on('Updated', () => { probe.updated++; });
              h.on('LiveChanged', (l) => {
                probe.live++;
                const age = Date.now() - Date.parse(l.asOf);
                if (Number.isFinite(age) && probe.ages.length < 5000) probe.ages.push(age);
              });
            },
          });
        })();
        """;

    private const string Read = """
        () => {
          const p = window.__benchProbe;
          return { updated: p.updated, live: p.live, snapshots: p.snapshots, ages: p.ages.splice(0),
                   connection: document.body.dataset.connection ?? '' };
        }
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<(IBrowserContext Context, IPage Page)> _open = [];

    private WallboardPages(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public int Count => _open.Count;

    public static async Task<WallboardPages> LaunchAsync(string chromium)
    {
        if (!File.Exists(chromium))
        {
            throw new BenchFailure($"no browser at {chromium} (apt-get install -y chromium, or pass chromium PATH)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        return new WallboardPages(playwright, browser);
    }

    /// <summary>
    /// Opens <paramref name="count"/> more pages of <paramref name="url"/>, <paramref name="parallel"/> at a time, and
    /// waits until each shows a figure; returns each page's navigation → first figure time in milliseconds.
    /// </summary>
    public async Task<IReadOnlyList<double>> OpenAsync(int count, string url, int parallel, TimeSpan timeout)
    {
        var loads = new double[count];
        using var gate = new SemaphoreSlim(parallel);
        var opening = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
                await context.AddInitScriptAsync(Probe);
                var page = await context.NewPageAsync();
                lock (_open)
                {
                    _open.Add((context, page));
                }

                await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = (float)timeout.TotalMilliseconds });
                try
                {
                    await page.WaitForFunctionAsync("() => window.__benchProbe?.firstFigure != null", null,
                        new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 50 });
                }
                catch (TimeoutException)
                {
                    var shown = await page.EvaluateAsync<string>("() => document.getElementById('app')?.innerText ?? document.body.innerText");
                    throw new BenchFailure($"a wallboard page showed no figure within {timeout.TotalSeconds:F0} s; it shows: \"{shown.Trim()}\"");
                }

                loads[i] = await page.EvaluateAsync<double>("() => window.__benchProbe.firstFigure");
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(opening);
        return loads;
    }

    /// <summary>Sums every page's counters and takes the LiveChanged ages gathered since the last call.</summary>
    public async Task<PushCounts> ReadAsync()
    {
        long updated = 0, live = 0, snapshots = 0;
        var livePages = 0;
        var ages = new List<double>();
        foreach (var (_, page) in _open)
        {
            var state = await page.EvaluateAsync<JsonElement>(Read);
            updated += state.GetProperty("updated").GetInt64();
            live += state.GetProperty("live").GetInt64();
            snapshots += state.GetProperty("snapshots").GetInt64();
            livePages += state.GetProperty("connection").GetString() == "live" ? 1 : 0;
            ages.AddRange(state.GetProperty("ages").EnumerateArray().Select(a => a.GetDouble()));
        }

        return new PushCounts(updated, live, snapshots, livePages, ages);
    }

    /// <summary>Closes every open page (its hub connection with it).</summary>
    public async Task CloseAllAsync()
    {
        foreach (var (context, _) in _open)
        {
            await context.DisposeAsync();
        }

        _open.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
