using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Host.Tests.Wallboard;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>The pages in a real browser against the real host on a real port, signed in the ways people and screens sign in.</summary>
public sealed class WallboardPageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Home_AnonymousBrowser_LandsOnTheSignInPage()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(root + "/");

        Assert.Equal(root + "/welcome?returnUrl=%2F", page.Url);
        Assert.Equal("Sign in to Lifeline Realtime", await page.Locator("h1").TextContentAsync());
        Assert.Contains("Wall screens", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatformWallboard_KioskLink_EveryFigureEqualsTheApiAndUpdatesAfterAnEvent()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        using var admin = factory.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await WallboardIngest.AppendAndDispatchAsync(factory, Enumerable.Range(1, 3).Select(n => WallboardIngest.Fields(n, "task.created", now - (n * 5_000L), n == 1 ? "support" : "check_in")), Ct);
        var kiosk = await IssueKioskAsync(admin, "platform", null);
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{root}/wallboard/digi#kiosk={kiosk}");
        await page.Locator("[data-metric='platform/live/tasks.waiting'][data-value='3']").WaitForAsync(new() { Timeout = 10_000 });
        await page.Locator("[data-metric='platform/15m/totals.offered'][data-value='3']").WaitForAsync(new() { Timeout = 10_000 });

        Assert.Equal(root + "/wallboard/digi", page.Url);
        Assert.True(await PageFigures.AssertEqualApiAsync(page, admin, "/api/platforms/digi", Ct) > 60);
        Assert.StartsWith("updated ", await page.Locator("#updated").TextContentAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "wallboard-digi-1920x1080");
        await page.SetViewportSizeAsync(1366, 768);
        await PageBrowser.ScreenshotAsync(page, "wallboard-digi-1366x768");

        // One more contact: the page shows it without a reload (2 s is a generous bound, not a timing assertion).
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(4, "task.created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "support")], Ct);
        await page.Locator("[data-metric='platform/15m/bySupportType.support.offered'][data-value='2']").WaitForAsync(new() { Timeout = 2_000 });
        await page.Locator("[data-metric='platform/live/tasks.waiting'][data-value='4']").WaitForAsync(new() { Timeout = 2_000 });
    }

    [Fact]
    public async Task TeamWallboard_KioskOfAnotherScope_SaysNotAllowedAndItsDataIsRefused()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        using var admin = factory.CreateClient();
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(1, "task.created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], Ct);
        var kiosk = await IssueKioskAsync(admin, "team", "Team A");
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{root}/wallboard/digi#kiosk={kiosk}");
        await page.Locator(".problem").WaitForAsync(new() { Timeout = 10_000 });

        Assert.Equal("Not allowed: this screen's sign-in may not show platform 'digi'.", await page.Locator(".problem").TextContentAsync());
        Assert.Equal(0, await page.Locator("[data-metric]").CountAsync());
        var metrics = await page.EvaluateAsync<int>("async () => (await fetch('/api/platforms/digi/metrics?window=today')).status");
        var otherTeam = await page.EvaluateAsync<int>("async () => (await fetch('/api/platforms/digi/teams/Team%20B/live')).status");
        var home = await page.EvaluateAsync<int>("async () => (await fetch('/', { headers: { Accept: 'text/html' } })).status");
        Assert.Equal((403, 403, 403), (metrics, otherTeam, home));
    }

    [Fact]
    public async Task BothPlatforms_PersonWithBearer_ShowsBothAndRecoversAfterTheHubDrops()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        using var admin = factory.CreateClient();
        await WallboardIngest.AppendAndDispatchAsync(factory, Enumerable.Range(1, 2).Select(n => WallboardIngest.Fields(n, "task.created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 20_000, "imminent")), Ct);
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestTokens.Admin },
        });
        var page = await context.NewPageAsync();
        var hubFrames = 0;
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/hubs/wallboard", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, _) => Interlocked.Increment(ref hubFrames);
            }
        };

        await page.GotoAsync(root + "/wallboard");
        var digi = page.Locator("[data-platform='digi']");
        var ciss = page.Locator("[data-platform='ciss']");
        await digi.Locator("[data-metric='platform/15m/bySupportType.imminent.offered'][data-value='2']").WaitForAsync(new() { Timeout = 10_000 });
        await ciss.Locator("[data-metric='platform/15m/totals.offered'][data-value='0']").WaitForAsync(new() { Timeout = 10_000 });
        await page.Locator("#connection[data-state='live']").WaitForAsync(new() { Timeout = 10_000 });
        await PageBrowser.ScreenshotAsync(page, "both-platforms-1920x1080");
        await page.SetViewportSizeAsync(1366, 768);
        await PageBrowser.ScreenshotAsync(page, "both-platforms-1366x768");

        // The connection drops: the page says so, reconnects by itself and subscribes again (a fresh snapshot).
        // The bearer header reached the hub's WebSocket handshake too: the snapshot came over it.
        Assert.True(Volatile.Read(ref hubFrames) > 0, "no frame on the hub's WebSocket");
        await page.EvaluateAsync("() => window.lifelineHub.connection.transport.stop(new Error('dropped by the test'))");
        await page.Locator("#connection[data-state='reconnecting']").WaitForAsync(new() { Timeout = 5_000 });
        await page.Locator("#connection[data-state='live']").WaitForAsync(new() { Timeout = 15_000 });
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(3, "task.created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "imminent")], Ct);
        await digi.Locator("[data-metric='platform/15m/bySupportType.imminent.offered'][data-value='3']").WaitForAsync(new() { Timeout = 5_000 });
    }

    private static async Task<string> IssueKioskAsync(HttpClient admin, string scope, string? id)
    {
        using var response = await admin.PostAsJsonAsync(new Uri("/api/admin/kiosk-tokens", UriKind.Relative), new { label = "wall", platformId = "digi", scope, id }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
    }
}
