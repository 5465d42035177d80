using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Playwright;
using static LifelineRealtime.Host.Tests.Reconciliation.ReconciliationHost;

namespace LifelineRealtime.Host.Tests.Reconciliation;

/// <summary>The stuck-task page's reconciliation section in a real browser: an admin's, with the difference beyond tolerance said in words; nobody else's.</summary>
public sealed class ReconciliationPageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StuckTasksPage_ShowsAdminsTheLastReconciliation_AndOthersNoSection()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var (factory, root) = PageBrowser.Host(configure: s => Configure(s, twilio));
        await using var _ = factory;
        var ws = TestPlatforms.DigiWorkspace;
        var (quiet, busy) = ("WQ" + new string('0', 30) + "c001", "WQ" + new string('0', 30) + "c002");
        var zero = ReconciliationTests.Quiet;
        twilio.Queues(ws, (quiet, "Quiet queue"), (busy, "Busy queue"));
        twilio.Statistics(ws, quiet, (f, t) => TaskRouterDouble.StatisticsBody(ws, quiet, f, t, zero));
        // TaskRouter saw two tasks enter a queue we have no event of: a difference beyond tolerance.
        twilio.Statistics(ws, busy, (f, t) => TaskRouterDouble.StatisticsBody(ws, busy, f, t, new Dictionary<string, double>(zero) { ["tasks_entered"] = 2 }));
        using var api = factory.CreateClient();
        var run = await PostRunAsync(api, "digi", SimulatedDay.Yesterday, Ct);
        Assert.Equal(1, run["mismatches"]!.GetValue<int>());

        var page = await browser.OpenAsync($"{root}/tasks/digi", 1366, 768);
        var beyond = page.Locator("#reconciliation tr.beyond");
        await Assertions.Expect(beyond).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        Assert.Equal("tasks_entered", await beyond.GetAttributeAsync("data-measure"));
        Assert.Equal(busy, await beyond.GetAttributeAsync("data-queue"));
        Assert.Contains("▲ Beyond tolerance", await beyond.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(13, await page.Locator("#reconciliation tr.within").CountAsync());
        var figures = await page.Locator("#reconciliation [data-metric$='.difference']").EvaluateAllAsync<string[]>("fs => fs.map(f => f.dataset.metric + '=' + f.textContent)");
        Assert.Contains($"reconciliation/latest.queues[taskQueueSid={busy}].measures[measure=tasks_entered].difference=-2", figures);
        Assert.Equal(run["queues"]!.AsArray().Sum(q => q!["measures"]!.AsArray().Count), figures.Length);
        Assert.Contains("1 measure beyond tolerance", await page.Locator("#reconciliation [data-metric='reconciliation/latest.mismatches']").TextContentAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "stuck-tasks-reconciliation-1366x768");

        foreach (var token in (string[])[TestTokens.Issue([Roles.FullAccess], ["digi"]), TestTokens.Issue([Roles.DataAnalyst], ["digi"])])
        {
            var context = await browser.Browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token } });
            var other = await context.NewPageAsync();
            var answer = await other.RunAndWaitForResponseAsync(() => other.GotoAsync($"{root}/tasks/digi"), r => r.Url.EndsWith("/api/platforms/digi/reconciliation", StringComparison.Ordinal));
            Assert.Equal(403, answer.Status);
            // The stuck list renders after the section would have: once it is there, the page is done deciding.
            await Assertions.Expect(other.Locator("#results [role=status]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            Assert.Equal(0, await other.Locator("#reconciliation").CountAsync());
            await context.CloseAsync();
        }
    }
}
