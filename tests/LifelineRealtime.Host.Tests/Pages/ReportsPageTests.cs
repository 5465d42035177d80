using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Engine;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Host.Tests.Wallboard;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// One host for the class with nine days of DIGI task lifecycles (2026-11-20 to 2026-11-28, Sydney time), written
/// once before any test and only read afterwards.
/// </summary>
public sealed class ReportsHost : IAsyncLifetime
{
    internal LifelineHostFactory Factory { get; private set; } = null!;

    public string Root { get; private set; } = "";

    public string Salt { get; } = Guid.NewGuid().ToString("N")[..4];

    public async ValueTask InitializeAsync()
    {
        (Factory, Root) = PageBrowser.Host();
        // The generator's lifecycles all start on 2026-11-24: spread them over nine days, each task kept whole.
        var events = LifecycleTraffic.Tasks(90, seed: 21, Salt).SelectMany((task, t) => task.Select(fields => Shift(fields, (t % 9) - 4)));
        await WallboardIngest.AppendAndDispatchAsync(Factory, events, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    private static Dictionary<string, string> Shift(Dictionary<string, string> fields, int days)
    {
        var ms = long.Parse(fields["TimestampMs"], CultureInfo.InvariantCulture) + (days * 86_400_000L);
        var copy = new Dictionary<string, string>(fields, StringComparer.Ordinal)
        {
            ["TimestampMs"] = ms.ToString(CultureInfo.InvariantCulture),
            ["Timestamp"] = (ms / 1000).ToString(CultureInfo.InvariantCulture),
        };
        return copy;
    }
}

/// <summary>The reports page in a real browser against the real host: its table reads as the API, its CSV is the API's.</summary>
public sealed class ReportsPageTests(PageBrowser browser, ReportsHost host) : IClassFixture<PageBrowser>, IClassFixture<ReportsHost>
{
    private const string Range = "from=2026-11-18&to=2026-11-30";
    private const int Generous = 15_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_PlatformByDay_EveryFigureEqualsTheApiAndReadsWellAtBothScreenSizes()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) { violations.Add(m.Text); } };

        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=day");
        await ReadyAsync(page);

        var compared = await AssertFiguresEqualApiAsync(page, _ => $"/api/platforms/digi/report?{Range}&interval=day");
        Assert.Equal(13 * ((7 * 13) + 1), compared); // 13 days × ((all + 6 support types) × 13 figures + the window)
        Assert.Equal("Tue, 24 Nov 2026", await page.Locator("[data-metric='platform/report/6.window.name']").TextContentAsync());
        Assert.Empty(violations);

        // Every script and style the page loaded (the shell's, the modules, the chart library): well under 300 KB.
        var loaded = await page.EvaluateAsync<JsonElement>("""
            () => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
              .filter(r => /\.(js|css)$/.test(new URL(r.name).pathname)).map(r => [new URL(r.name).pathname, r.decodedBodySize])
            """);
        var paths = loaded.EnumerateArray().Select(r => r[0].GetString()!).ToList();
        Assert.Contains("/assets/lib/uPlot.iife.min.js", paths);
        Assert.Contains("/assets/js/reports.js", paths);
        var bytes = loaded.EnumerateArray().Sum(r => r[1].GetInt64());
        Assert.True(bytes < 200 * 1024, $"{bytes} bytes of script and style: {string.Join(", ", paths)}");
        Assert.StartsWith("updated ", await page.Locator("#updated").TextContentAsync(), StringComparison.Ordinal);

        await PageBrowser.ScreenshotAsync(page, "reports-digi-1920x1080");
        await page.SetViewportSizeAsync(1366, 768);
        await PageBrowser.ScreenshotAsync(page, "reports-digi-1366x768");
        await page.Locator(".report-table").ScrollIntoViewIfNeededAsync();
        await PageBrowser.ScreenshotAsync(page, "reports-digi-table-1366x768");
    }

    [Fact]
    public async Task Report_DownloadCsvLink_IsTheApisCsvUrlAndDownloadsItsBytesExactly()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=week");
        await ReadyAsync(page);

        var link = page.GetByRole(AriaRole.Link, new() { Name = "Download CSV", Exact = false });
        var href = await link.GetAttributeAsync("href");
        // The link as the browser follows it, with the page's own credentials (a headless download is not kept here).
        var body = await link.EvaluateAsync<string>("""
            async a => {
              const r = await fetch(a.href, { credentials: 'same-origin' });
              const bytes = new Uint8Array(await r.arrayBuffer());
              return r.status + ' ' + r.headers.get('content-type') + ' ' + btoa(String.fromCharCode(...bytes));
            }
            """);

        Assert.Equal($"/api/platforms/digi/report?{Range}&interval=week&format=csv", href);
        using var api = host.Factory.CreateClient();
        var expected = await api.GetByteArrayAsync(new Uri(href!, UriKind.Relative), Ct);
        Assert.Equal("200 text/csv; charset=utf-8 " + Convert.ToBase64String(expected), body);
        Assert.StartsWith("platform,scope,id,window,", System.Text.Encoding.UTF8.GetString(expected), StringComparison.Ordinal);
        Assert.Equal("digi-platform-2026-11-18-2026-11-30-week.csv", await link.GetAttributeAsync("download"));
    }

    [Fact]
    public async Task Report_IntervalChangedToWeek_UpdatesTheAddressAndTheTableAndAReloadRestoresIt()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=day");
        await ReadyAsync(page);

        await page.GetByLabel("Interval", new() { Exact = true }).SelectOptionAsync("week");
        await Expect(page).ToHaveURLAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=week", new() { Timeout = Generous });
        await Expect(page.Locator("[data-metric='platform/report/1.window.name']")).ToHaveAttributeAsync("data-value", "week:2026-W48", new() { Timeout = Generous });
        await ReadyAsync(page);

        // The first and last weeks are cut to the dates asked for: three intervals.
        Assert.Equal(["range:2026-11-18..2026-11-22", "week:2026-W48", "range:2026-11-30..2026-11-30"], await WindowsAsync(page));
        await AssertFiguresEqualApiAsync(page, _ => $"/api/platforms/digi/report?{Range}&interval=week");

        await page.ReloadAsync();
        await ReadyAsync(page);
        await Expect(page.GetByLabel("Interval", new() { Exact = true })).ToHaveValueAsync("week");
        Assert.Equal(3, (await WindowsAsync(page)).Count);
        await page.GoBackAsync();
        await Expect(page.Locator("[data-metric='platform/report/12.window.name']")).ToHaveAttributeAsync("data-value", "day:2026-11-30", new() { Timeout = Generous });
        await Expect(page.GetByLabel("Interval", new() { Exact = true })).ToHaveValueAsync("day");
    }

    [Fact]
    public async Task Report_Keyboard_ReachesEveryControlInOrderWithAVisibleFocusAndChangesTheInterval()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=day");
        await ReadyAsync(page);

        // Tab from the top of the page; a date input takes one stop per part (day, month, year).
        var stops = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await page.EvaluateAsync<string>("""
                () => {
                  const e = document.activeElement;
                  const style = getComputedStyle(e);
                  const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
                  return (e.id || e.className || e.tagName) + (visible ? '' : ' (focus not visible)');
                }
                """);
            if (stops.Count == 0 || stops[^1] != stop)
            {
                stops.Add(stop);
            }
        }

        Assert.Equal(["", "platform", "scope", "from", "to", "interval", "", "button download", "table-wrap"], stops.Take(9).Select(x => x is "A" or "BUTTON" ? "" : x));
        await page.Locator("#interval").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page).ToHaveURLAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=week", new() { Timeout = Generous });
        await Expect(page.Locator("[data-metric='platform/report/1.window.name']")).ToHaveAttributeAsync("data-value", "week:2026-W48", new() { Timeout = Generous });
    }

    [Fact]
    public async Task Report_FromAfterTo_ShowsTheApisProblemAsAnAlertAndNoFigures()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=day");
        await ReadyAsync(page);

        await page.GetByLabel("From", new() { Exact = true }).FillAsync("2026-12-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show report" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToHaveTextAsync("This report cannot be made: the report from 2026-12-01 to 2026-11-30 ends before it starts.", new() { Timeout = Generous });
        await Expect(page).ToHaveURLAsync($"{host.Root}/reports?platform=digi&scope=platform&from=2026-12-01&to=2026-11-30&interval=day");
        Assert.Equal(0, await page.Locator("[data-metric]").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).CountAsync());
        await page.SetViewportSizeAsync(1366, 768);
        await PageBrowser.ScreenshotAsync(page, "reports-bad-dates-1366x768");

        // Longer than the 400 days kept: the engine's own words again.
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&from=2025-01-01&to=2026-11-30&interval=month");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This report cannot be made: the report from 2025-01-01 to 2026-11-30 spans 699 days; at most 400 are kept.", new() { Timeout = Generous });
    }

    [Fact]
    public async Task Report_Charts_EachIsDrawnAndHasAnAccessibleNameAndTheTableAsItsDescription()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=day");
        await ReadyAsync(page);

        var charts = page.Locator(".chart [role='img']");
        await Expect(charts).ToHaveCountAsync(3);
        await Expect(charts.Nth(0)).ToHaveAccessibleNameAsync(new Regex("^Contacts offered by support type, per day\\. Line chart .* \\d+ offered in all"));
        await Expect(charts.Nth(1)).ToHaveAccessibleNameAsync(new Regex("^Wait time p50 and p90, per day\\. .*Highest p90 \\d+:\\d\\d"));
        await Expect(charts.Nth(2)).ToHaveAccessibleNameAsync(new Regex("^Handle time p50 and p90, per day\\. .*Highest p90 \\d+:\\d\\d"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("report-table-digi", await charts.Nth(i).GetAttributeAsync("aria-describedby"));
        }

        // Each canvas has a size and something drawn on it (lines in a series colour, not only the axes).
        var canvases = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('.chart [role=img] canvas')].map(c => {
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let coloured = 0;
              for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) coloured++;
              const r = c.getBoundingClientRect();
              return [r.width, r.height, coloured];
            })
            """);
        Assert.Equal(3, canvases.GetArrayLength());
        foreach (var c in canvases.EnumerateArray())
        {
            Assert.True(c[0].GetDouble() > 200 && c[1].GetDouble() > 100 && c[2].GetInt32() > 50, c.ToString());
        }
    }

    [Fact]
    public async Task Report_NoQuery_IsTheLastSevenLocalDaysByDayForTheFirstPlatform()
    {
        var sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");
        DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, sydney).Date);
        var before = Today();
        var (context, page) = await OpenAsync(TestTokens.Admin, timeZone: "Australia/Sydney");
        await using var _ = context;

        await page.GotoAsync($"{host.Root}/reports");
        await ReadyAsync(page);

        // Either side of a midnight that passed while the page loaded.
        var query = new Uri(page.Url).Query;
        var expected = new[] { before, Today() }.Select(d => $"?platform=digi&scope=platform&from={d.AddDays(-6):yyyy-MM-dd}&to={d:yyyy-MM-dd}&interval=day").ToList();
        Assert.Contains(query, expected);
        Assert.Equal(7, (await WindowsAsync(page)).Count);
        await Expect(page.GetByLabel("Platform", new() { Exact = true })).ToHaveValueAsync("digi");
        Assert.Equal(["digi", "ciss", "both"], await page.GetByLabel("Platform", new() { Exact = true }).Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
    }

    [Fact]
    public async Task Report_BothPlatforms_ASectionAndACsvLinkPerPlatformWithPrefixedFigures()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=both&scope=platform&{Range}&interval=month");
        await ReadyAsync(page);

        Assert.Equal(["digi", "ciss"], await page.Locator("section.report-platform").EvaluateAllAsync<string[]>("ss => ss.map(s => s.dataset.platform)"));
        Assert.Equal(
            [$"/api/platforms/digi/report?{Range}&interval=month&format=csv", $"/api/platforms/ciss/report?{Range}&interval=month&format=csv"],
            await page.Locator("a.download").EvaluateAllAsync<string[]>("ls => ls.map(l => l.getAttribute('href'))"));
        await Expect(page.GetByLabel("Scope", new() { Exact = true })).ToBeDisabledAsync();
        var compared = await AssertFiguresEqualApiAsync(page, platform => $"/api/platforms/{platform}/report?{Range}&interval=month");
        Assert.Equal(2 * ((7 * 13) + 1), compared); // one (cut) month per platform
        Assert.Equal(6, await page.Locator(".chart [role='img']").CountAsync());
        await PageBrowser.ScreenshotAsync(page, "reports-both-1920x1080");
        await Expect(page.Locator("[data-metric='digi:platform/report/0.totals.offered']")).ToHaveAttributeAsync("data-value", "90");
        await Expect(page.Locator("[data-metric='ciss:platform/report/0.totals.offered']")).ToHaveAttributeAsync("data-value", "0");
    }

    [Fact]
    public async Task Report_TeamLeader_IsRefusedPlatformTotalsThenReadsTheirTeam()
    {
        var token = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]);
        var (context, page) = await OpenAsync(token);
        await using var _ = context;
        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=platform&{Range}&interval=day");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Not allowed: this sign-in may not read platform 'digi': choose a team or a queue.", new() { Timeout = Generous });
        Assert.Equal(["digi"], await page.GetByLabel("Platform", new() { Exact = true }).Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));

        await page.GetByLabel("Scope", new() { Exact = true }).SelectOptionAsync("team");
        await Expect(page).ToHaveURLAsync($"{host.Root}/reports?platform=digi&scope=team&id=Team+A&{Range}&interval=day", new() { Timeout = Generous });
        await ReadyAsync(page);
        Assert.Equal(["Team A"], await page.GetByLabel("Team", new() { Exact = true }).Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
        var compared = await AssertFiguresEqualApiAsync(page, _ => $"/api/platforms/digi/teams/Team%20A/report?{Range}&interval=day");
        Assert.Equal(13 * ((7 * 13) + 1), compared);
        Assert.Equal($"/api/platforms/digi/teams/Team%20A/report?{Range}&interval=day&format=csv", await page.Locator("a.download").GetAttributeAsync("href"));
    }

    [Fact]
    public async Task Report_TeamLeaderWithNoQuery_OpensOnTheirTeam()
    {
        var token = TestTokens.Issue([Roles.TeamLeader], platforms: ["digi"], teams: ["Team A"]);
        var (context, page) = await OpenAsync(token);
        await using var _ = context;

        await page.GotoAsync($"{host.Root}/reports");

        await Expect(page).ToHaveURLAsync(new Regex("/reports\\?platform=digi&scope=team&id=Team\\+A&from=\\d{4}-\\d{2}-\\d{2}&to=\\d{4}-\\d{2}-\\d{2}&interval=day$"), new() { Timeout = Generous });
        await ReadyAsync(page);
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Report_WhileTheApiAnswers_SaysLoadingAndIsBusy()
    {
        var (context, page) = await OpenAsync(TestTokens.Admin);
        await using var _ = context;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(new Regex("/report\\?"), async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });

        await page.GotoAsync($"{host.Root}/reports?platform=digi&scope=queue&id=WQ{host.Salt}{3:x28}&{Range}&interval=day");
        await Expect(page.Locator("#report-status")).ToHaveTextAsync("Loading report…", new() { Timeout = Generous });
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("aria-busy", "true");
        release.SetResult();

        await ReadyAsync(page);
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(page.GetByLabel("Queue (TaskQueue Sid)", new() { Exact = true })).ToHaveValueAsync($"WQ{host.Salt}{3:x28}");
        await AssertFiguresEqualApiAsync(page, _ => $"/api/platforms/digi/queues/WQ{host.Salt}{3:x28}/report?{Range}&interval=day");
    }

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(string token, string timeZone = "Australia/Sydney")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            TimezoneId = timeZone,
            Locale = "en-AU",
            AcceptDownloads = true,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });
        return (context, await context.NewPageAsync());
    }

    private static async Task ReadyAsync(IPage page) =>
        await Expect(page.Locator("#report-status[data-state='done']")).ToBeAttachedAsync(new() { Timeout = Generous });

    private static async Task<List<string>> WindowsAsync(IPage page) =>
        [.. await page.Locator("[data-metric$='.window.name']").EvaluateAllAsync<string[]>("es => es.map(e => e.dataset.value)")];

    /// <summary>Every figure's data-value equals the API's JSON at its path; returns how many were compared.</summary>
    private async Task<int> AssertFiguresEqualApiAsync(IPage page, Func<string, string> reportUrl)
    {
        var figures = await page.EvaluateAsync<JsonElement>("() => [...document.querySelectorAll('[data-metric]')].map(e => [e.dataset.metric, e.dataset.value])");
        using var api = host.Factory.CreateClient();
        var answers = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var compared = 0;
        foreach (var f in figures.EnumerateArray())
        {
            var metric = f[0].GetString()!;
            var colon = metric.IndexOf(':', StringComparison.Ordinal);
            var platform = colon > 0 ? metric[..colon] : "digi";
            var parts = metric[(colon + 1)..].Split('/', 3);
            Assert.Equal("report", parts[1]);
            if (!answers.TryGetValue(platform, out var answer))
            {
                answer = answers[platform] = JsonNode.Parse(await api.GetStringAsync(new Uri(reportUrl(platform), UriKind.Relative), Ct))!;
            }

            var expected = Read(answer, parts[2], out var present);
            Assert.True(present, $"{metric} is not in the API's answer");
            Assert.Equal(parts[0], answer[0]!["scope"]!.GetValue<string>());
            var shown = f[1].GetString();
            var equal = expected switch
            {
                null => shown == "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == shown,
                JsonValue v => shown != "" && double.Parse(shown!, CultureInfo.InvariantCulture) == v.GetValue<double>(),
                _ => false,
            };
            Assert.True(equal, $"{metric}: page {shown}, API {expected?.ToJsonString()}");
            compared++;
        }

        return compared;
    }

    private static JsonNode? Read(JsonNode node, string path, out bool present)
    {
        JsonNode? current = node;
        present = true;
        foreach (var part in path.Split('.'))
        {
            switch (current)
            {
                case JsonArray array when int.TryParse(part, CultureInfo.InvariantCulture, out var i) && i < array.Count:
                    current = array[i];
                    break;
                case JsonObject obj when obj.ContainsKey(part):
                    current = obj[part];
                    break;
                default:
                    present = false;
                    return null;
            }
        }

        return current;
    }
}
