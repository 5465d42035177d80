using System.Text.Json;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>The TV pages full of a busy shift: whole on the screen at 1920×1080 and 1366×768, with no scrolling.</summary>
public sealed class WallboardLayoutTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static readonly string[] Ciss = ["check_in", "check_out", "debrief", "imminent", "safety", "support"];
    private static readonly string[] Digi = [.. Ciss, "technical_support"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Both fixture platforms, DIGI with its technical_support type (the longest row label), both busy.</summary>
    private static async Task<(LifelineHostFactory Factory, string Root)> BusyHostAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var (factory, root) = PageBrowser.Host(configure: s =>
        {
            s["Lifeline:Platforms:0:SupportTypes:6"] = "technical_support";
            configure?.Invoke(s);
        });
        await BoardTraffic.Busy("digi", Digi).DispatchAsync(factory, Ct);
        await BoardTraffic.Busy("ciss", Ciss).DispatchAsync(factory, Ct);
        return (factory, root);
    }

    [Theory]
    [InlineData("/wallboard/digi", "wallboard-busy-digi")]
    [InlineData("/wallboard/ciss", "wallboard-busy-ciss")]
    [InlineData("/wallboard", "wallboard-both")]
    public async Task Wallboard_BusyShift_IsWholeOnTheScreenAtTvSizes(string path, string screenshot)
    {
        var (factory, root) = await BusyHostAsync();
        await using var _ = factory;
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestTokens.Admin },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(root + path);
        var boards = path == "/wallboard" ? 2 : 1;
        await Assertions.Expect(page.Locator(".board .activity")).ToHaveCountAsync(4 * boards, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-metric$='/today/totals.offered']:not([data-value='0']):not([data-value=''])")).ToHaveCountAsync(boards, new() { Timeout = 15_000 });
        foreach (var (width, height) in new[] { (1920, 1080), (1366, 768) })
        {
            await page.SetViewportSizeAsync(width, height);
            // The agents box fits itself again after a resize (a ResizeObserver): wait for its next frame.
            await page.EvaluateAsync("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
            await PageBrowser.ScreenshotAsync(page, $"{screenshot}-{width}x{height}");
            var overflow = await page.EvaluateAsync<JsonElement>(Overflow);
            Assert.True(overflow.GetProperty("ok").GetBoolean(), $"{path} at {width}×{height}: {overflow}");
        }
    }

    /// <summary>Everything that spills: the page wider or taller than the window, a board or a table cut off.</summary>
    private const string Overflow = """
        () => {
          const d = document.documentElement;
          const out = [];
          if (d.scrollWidth > innerWidth) out.push(`page ${d.scrollWidth} wide in ${innerWidth}`);
          if (d.scrollHeight > innerHeight) out.push(`page ${d.scrollHeight} tall in ${innerHeight}`);
          for (const b of document.querySelectorAll('.board')) {
            if (b.scrollWidth > b.clientWidth) out.push(`board ${b.dataset.platform} ${b.scrollWidth} wide in ${b.clientWidth}`);
            if (b.scrollHeight > b.clientHeight) out.push(`board ${b.dataset.platform} ${b.scrollHeight} tall in ${b.clientHeight}`);
            const box = b.getBoundingClientRect();
            for (const t of b.querySelectorAll('table, .activity')) {
              const r = t.getBoundingClientRect();
              if (r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5) out.push(`${t.className || t.tagName} of ${b.dataset.platform} past the board`);
            }
          }
          return { ok: out.length === 0, problems: out };
        }
        """;
}
