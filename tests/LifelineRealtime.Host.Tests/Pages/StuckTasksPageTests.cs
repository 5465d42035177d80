using System.Globalization;
using System.Text.Json.Nodes;
using LifelineRealtime.Host.Tests.Wallboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>The stuck-task page in a real browser: the API's stuck list, and a task's journaled events on demand.</summary>
public sealed class StuckTasksPageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StuckTasks_ListsWhatTheApiSays_AndOpensATasksEvents()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(WallboardIngest.T0 + 11 * 60_000));
        var (factory, root) = PageBrowser.Host(s => s.AddSingleton<TimeProvider>(clock));
        await using var _ = factory;
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(1, "task.created", WallboardIngest.T0, "support"), WallboardIngest.Fields(2, "task.created", WallboardIngest.T0 + 30_000, "safety")], Ct);
        using var api = factory.CreateClient();
        var list = JsonNode.Parse(await api.GetStringAsync(new Uri("/api/platforms/digi/tasks/stuck", UriKind.Relative), Ct))!;

        var page = await browser.OpenAsync($"{root}/tasks/digi", 1366, 768);
        var rows = page.Locator("tr[data-task]");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 15_000 });

        var shown = await page.Locator(".fig.tick").EvaluateAllAsync<string[]>("fs => fs.map(f => f.dataset.metric + '=' + f.dataset.value)");
        Assert.Equal(
            list["tasks"]!.AsArray().Select(t => $"platform/stuck/tasks[taskSid={t!["taskSid"]}].secondsInStatus={t["secondsInStatus"]!.GetValue<double>().ToString(CultureInfo.InvariantCulture)}"),
            shown);
        // Why each is stuck, in words, from the API's reasons.
        var why = await page.Locator("tr[data-task] td.why").EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.reasons + '|' + c.textContent)");
        Assert.Equal(
            list["tasks"]!.AsArray().Select(t => string.Join(' ', t!["reasons"]!.AsArray().Select(r => r!["reason"]!.GetValue<string>()))),
            why.Select(w => w.Split('|')[0]));
        Assert.All(why, w => Assert.StartsWith("in_status_too_long|Pending longer than its threshold (", w, StringComparison.Ordinal));
        Assert.Equal("Why stuck", await page.Locator("table.stuck thead th").Nth(3).TextContentAsync());
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Events" }).ClickAsync();
        await Assertions.Expect(page.Locator(".history tbody tr")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        Assert.Contains("task.created", await page.Locator(".history").TextContentAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "stuck-tasks-1366x768");
    }
}
