using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>What a TV says about its figures: each platform's own thresholds, the people in each activity, the urgent banner.</summary>
public sealed partial class WallboardFigureTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly LocatorAssertionsToHaveCountOptions Count = new() { Timeout = 15_000 };


    [Fact]
    public async Task Thresholds_PlatformConfiguredStricter_ColoursAndNamesItsFiguresByItsOwnLevels()
    {
        // CISS wants 90% answered in threshold (near limit under 90%, over under 70%); DIGI keeps the defaults (80% / 60%).
        // DIGI's longest wait is near limit from 5 minutes (CISS's from the default 1, over limit at 2), but an urgent
        // type's follows its alert (over limit at 30 s).
        var (factory, root) = PageBrowser.Host(configure: s =>
        {
            s["Lifeline:Platforms:1:Thresholds:ServiceLevel:Warn"] = "0.9";
            s["Lifeline:Platforms:1:Thresholds:ServiceLevel:Bad"] = "0.7";
            s["Lifeline:Platforms:0:Thresholds:LongestWait:Warn"] = "300";
            s["Lifeline:Platforms:0:Thresholds:LongestWait:Bad"] = "600";
        });
        await using var _ = factory;
        foreach (var platform in (string[])["digi", "ciss"])
        {
            // Four of five answered within the 60 s service level: 80%.
            var traffic = new BoardTraffic(platform).Answered("check_in", 5, 1).Answered("check_in", 6, 2).Answered("check_in", 7, 3).Answered("check_in", 8, 4).Answered("check_in", 90, 5);
            await traffic.Waiting("imminent", 200).Waiting("support", 200).DispatchAsync(factory, Ct);
        }

        var page = await browser.OpenAsync(root + "/wallboard");
        var digi = page.Locator("[data-platform='digi'] [data-metric='platform/15m/bySupportType.check_in.serviceLevel']");
        var ciss = page.Locator("[data-platform='ciss'] [data-metric='platform/15m/bySupportType.check_in.serviceLevel']");
        await Assertions.Expect(digi).ToHaveAttributeAsync("data-value", "0.8", new() { Timeout = 15_000 });
        await Assertions.Expect(ciss).ToHaveAttributeAsync("data-value", "0.8", new() { Timeout = 15_000 });

        await Assertions.Expect(digi).ToHaveClassAsync(new Regex(@"\blv-ok\b"));
        await Assertions.Expect(digi).ToHaveAttributeAsync("aria-label", "check in, Last 15 min service level: 80%, within target");
        await Assertions.Expect(ciss).ToHaveClassAsync(new Regex(@"\blv-warn\b"));
        await Assertions.Expect(ciss).ToHaveAttributeAsync("aria-label", "check in, Last 15 min service level: 80%, near limit");
        Assert.Equal("▲ ", await ciss.Locator(".shape").TextContentAsync());

        var supportWait = page.Locator("[data-platform='digi'] [data-metric='platform/live/tasks.bySupportType.support.longestWaitSeconds']");
        var imminentWait = page.Locator("[data-platform='digi'] [data-metric='platform/live/tasks.bySupportType.imminent.longestWaitSeconds']");
        var cissSupportWait = page.Locator("[data-platform='ciss'] [data-metric='platform/live/tasks.bySupportType.support.longestWaitSeconds']");
        await Assertions.Expect(supportWait).ToHaveClassAsync(new Regex(@"\blv-ok\b"), new() { Timeout = 15_000 });
        await Assertions.Expect(supportWait).ToHaveAttributeAsync("aria-label", new Regex(@"^support longest wait: 3:\d\d, within target$"));
        await Assertions.Expect(imminentWait).ToHaveClassAsync(new Regex(@"\blv-bad\b"));
        await Assertions.Expect(imminentWait).ToHaveAttributeAsync("aria-label", new Regex(@"^imminent longest wait: 3:\d\d, over limit$"));
        await Assertions.Expect(cissSupportWait).ToHaveClassAsync(new Regex(@"\blv-bad\b"));

        // All types together are as bad as the worst: DIGI's longest is only 3 minutes (within its 5), but an urgent one is over limit.
        var allWait = page.Locator("[data-platform='digi'] [data-metric='platform/live/longestWaiting.0.waitSeconds']");
        await Assertions.Expect(allWait).ToHaveClassAsync(new Regex(@"\blv-bad\b"));
        await Assertions.Expect(allWait).ToHaveAttributeAsync("aria-label", new Regex(@"^All longest wait: 3:\d\d, over limit$"));

        // A single platform's wallboard reads its platform's thresholds too.
        var single = await browser.OpenAsync(root + "/wallboard/ciss");
        var one = single.Locator("[data-metric='platform/15m/bySupportType.check_in.serviceLevel']");
        await Assertions.Expect(one).ToHaveAttributeAsync("data-value", "0.8", new() { Timeout = 15_000 });
        await Assertions.Expect(one).ToHaveClassAsync(new Regex(@"\blv-warn\b"));
        await Assertions.Expect(one).ToHaveAttributeAsync("aria-label", "check in, Last 15 min service level: 80%, near limit");
    }

    [Theory]
    [InlineData(50, 1920, 1080)]
    [InlineData(50, 1366, 768)]
    [InlineData(5, 1920, 1080)]
    public async Task Agents_MorePeopleThanFitOrAreListed_ShowsThoseThatFitAndCountsTheRest(int maxListed, int width, int height)
    {
        var (factory, root) = PageBrowser.Host(configure: s => s["Lifeline:Live:MaxListed"] = maxListed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var _ = factory;
        await new BoardTraffic("digi").InActivity("Available", 0, 3).InActivity("Busy", 3, 36).DispatchAsync(factory, Ct);

        var page = await browser.OpenAsync(root + "/wallboard/digi", width, height);
        var busy = page.Locator(".activity", new() { Has = page.Locator("h3 .name", new() { HasTextString = "Busy" }) });
        var available = page.Locator(".activity", new() { Has = page.Locator("h3 .name", new() { HasTextString = "Available" }) });
        await Assertions.Expect(busy.Locator("[data-metric='platform/live/workers[activity=Busy].workers']")).ToHaveAttributeAsync("data-value", "36", new() { Timeout = 15_000 });

        // Busy: the longest in it first, as many as fit (at most the answer's list), then "and N more" for the rest of the 36.
        var shown = await busy.Locator("li:not(.more)").CountAsync();
        Assert.InRange(shown, 1, Math.Min(maxListed, 35));
        await Assertions.Expect(busy.Locator("li.more")).ToHaveTextAsync($"and {36 - shown} more");
        var metrics = await busy.Locator("li:not(.more) .fig").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.metric)");
        Assert.Equal(
            Enumerable.Range(3, 36).Take(shown).Select(w => $"platform/live/workers[activity=Busy].members[workerSid=WKd{w:x31}].secondsInActivity"),
            metrics);
        var box = await busy.BoundingBoxAsync();
        var last = await busy.Locator("li.more").BoundingBoxAsync();
        Assert.True(last!.Y + last.Height <= box!.Y + box.Height + 0.5, "the 'and N more' line is cut off");

        // Available: all three fit, and nothing more is claimed.
        await Assertions.Expect(available.Locator("li:not(.more)")).ToHaveCountAsync(3);
        await Assertions.Expect(available.Locator("li.more")).ToHaveCountAsync(0);
        await PageBrowser.ScreenshotAsync(page, $"wallboard-agents-{maxListed}-{width}x{height}");
    }

    [Theory]
    [InlineData("imminent", "/wallboard/digi")]
    [InlineData("safety", "/wallboard")]
    public async Task UrgentBanner_ContactWaitsPastItsAlert_ShowsPlatformTypeAndTickingWaitUntilItClears(string supportType, string path)
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        var page = await browser.OpenAsync(root + path, 1366, 768);
        var banner = page.Locator("#urgent[role='alert']");
        await Assertions.Expect(page.Locator("[data-platform='digi'] [data-metric='platform/live/tasks.waiting']")).ToHaveAttributeAsync("data-value", "0", new() { Timeout = 15_000 });
        await Assertions.Expect(banner).ToBeHiddenAsync();

        // Past the alert wait already (imminent 30 s, safety 60 s): the next alert round raises it.
        var traffic = new BoardTraffic("digi").Waiting(supportType, 65);
        var task = traffic.Last;
        await traffic.DispatchAsync(factory, Ct);

        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(banner).ToHaveTextAsync(new Regex($@"^⚠ URGENT DIGI {supportType} contact waiting \d+:\d\d$"));
        var item = banner.Locator(".alert-item");
        await Assertions.Expect(item).ToHaveTextAsync(new Regex($@"^DIGI {supportType} contact waiting (\d+):(\d\d)$"));
        var first = await item.TextContentAsync();
        await Assertions.Expect(item).Not.ToHaveTextAsync(first!, new() { Timeout = 10_000 });
        Assert.True(Wait(await item.TextContentAsync()) > Wait(first), "the wait does not count up");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight <= innerHeight && [...document.querySelectorAll('.board')].every((b) => b.scrollHeight <= b.clientHeight)");
        Assert.True(overflow, "the banner pushes the board off the screen");
        await PageBrowser.ScreenshotAsync(page, $"wallboard-urgent-{supportType}");

        // Answered, abandoned or otherwise gone: the hub says it cleared, and the banner goes.
        await traffic.Canceled(task, supportType).DispatchAsync(factory, Ct);
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("body.has-urgent")).ToHaveCountAsync(0);
    }

    private static int Wait(string? text)
    {
        var m = WaitPattern().Match(text ?? "");
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(\d+):(\d\d)$")]
    private static partial Regex WaitPattern();
}
