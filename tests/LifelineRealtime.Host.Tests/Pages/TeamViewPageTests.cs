using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// The team leader's view and the agent's view in a real browser, signed in as a team leader, over a simulated
/// day: every figure equals the API for the same scope and window, an agent's page has their timeline, the
/// window picker changes the window, and another team's view is refused.
/// </summary>
public sealed class TeamViewPageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TeamView_TeamLeader_FiguresEqualTheApi_AgentPageHasTheTimeline_OtherTeamRefused()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await SimulatedDay.AppendAsync(factory, Ct);
        using var admin = factory.CreateClient();
        var day = "day:" + SimulatedDay.Yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var teams = (await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/platforms", UriKind.Relative), Ct))
            .EnumerateArray().Single(p => p.GetProperty("id").GetString() == "digi").GetProperty("teams").EnumerateArray().Select(t => t.GetString()!).ToList();
        var (team, other) = (teams[0], teams[1]);
        var teamPath = "/api/platforms/digi/teams/" + Uri.EscapeDataString(team);
        var handled = (await admin.GetFromJsonAsync<JsonElement>(new Uri($"{teamPath}/metrics?window={day}", UriKind.Relative), Ct)).GetProperty("totals").GetProperty("handled").GetInt64();
        Assert.True(handled > 0, "the simulated day handled nothing for " + team);

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: [team]) },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync($"{root}/teams/digi/{Uri.EscapeDataString(team)}?window={day}");
        await page.Locator($"[data-metric='team/{day}/totals.handled'][data-value='{handled}']").WaitForAsync(new() { Timeout = 15_000 });
        await page.Locator("#connection[data-state='live']").WaitForAsync(new() { Timeout = 10_000 });

        Assert.True(await PageFigures.AssertEqualApiAsync(page, admin, teamPath, Ct) > 100);
        Assert.True(await page.Locator(".agents-table .stack .seg").CountAsync() > 0, "no agent's logged status bar");
        // Rates are coloured by the platform's thresholds, with a shape and a word as well as the colour.
        var rate = page.Locator($"[data-metric='team/{day}/totals.rejectRate']");
        Assert.Matches("lv-(ok|warn|bad)", await rate.GetAttributeAsync("class"));
        Assert.Matches("(within target|near limit|over limit)$", await rate.GetAttributeAsync("aria-label"));
        Assert.StartsWith("updated ", await page.Locator("#updated").TextContentAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "team-view-1920x1080");
        await page.SetViewportSizeAsync(1366, 768);
        await PageBrowser.ScreenshotAsync(page, "team-view-1366x768");

        // The picker: today instead of yesterday, kept in the address.
        await page.Locator("#window-kind").SelectOptionAsync("today");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.Locator("[data-metric='team/today/totals.handled']").WaitForAsync(new() { Timeout = 10_000 });
        Assert.EndsWith("?window=today", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"[data-metric^='team/{day}/']").CountAsync());

        // Back to yesterday, then one agent: the same figures for one person, and their timeline.
        await page.GotoAsync($"{root}/teams/digi/{Uri.EscapeDataString(team)}?window={day}");
        var agent = page.Locator(".agents-table tbody th a").First;
        await agent.WaitForAsync(new() { Timeout = 15_000 });
        await agent.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/workers/digi/WK[0-9a-f]{32}\\?window="), new() { Timeout = 10_000 });
        var sid = new Uri(page.Url).AbsolutePath.Split('/')[^1];
        await page.Locator($"[data-metric^='worker/timeline:{day}/segments.0.seconds']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        await page.Locator($"[data-metric='worker/{day}/totals.reservations']").WaitForAsync(new() { Timeout = 10_000 });
        Assert.True(await PageFigures.AssertEqualApiAsync(page, admin, "/api/platforms/digi/workers/" + sid, Ct) > 80);
        Assert.True(await page.Locator(".track .seg").CountAsync() > 0, "no timeline segment drawn");
        await page.SetViewportSizeAsync(1920, 1080);
        await PageBrowser.ScreenshotAsync(page, "worker-view-1920x1080");

        // Another team: the page itself is refused, not a shell whose reads fail.
        var refused = await page.GotoAsync($"{root}/teams/digi/{Uri.EscapeDataString(other)}");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        Assert.Equal("Not allowed", await page.Locator("h1").TextContentAsync());
        Assert.Equal(0, await page.Locator("[data-metric]").CountAsync());
        Assert.Empty(errors);
    }
}
