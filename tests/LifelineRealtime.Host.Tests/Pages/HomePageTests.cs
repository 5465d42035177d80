using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>The home page links to what the signed-in person may see, and nothing else.</summary>
public sealed class HomePageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Home_TeamLeader_LinksToTheirTeamsViewAndWallboard_ReportsAndSignOut_NotOtherTeams()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await SimulatedDay.AppendAsync(factory, Ct);
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team B"]) },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(root + "/");
        await page.Locator("[data-platform='digi']").WaitForAsync(new() { Timeout = 10_000 });

        var links = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))");
        Assert.Contains("/teams/digi/Team%20B", links);
        Assert.Contains("/wallboard/digi/teams/Team%20B", links);
        Assert.Contains("/reports", links);
        Assert.DoesNotContain(links, l => l.Contains("Team%20A", StringComparison.Ordinal) || l.Contains("/ciss", StringComparison.Ordinal));
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).CountAsync());
        Assert.Equal(0, await page.Locator("[data-platform='ciss']").CountAsync());
    }
}
