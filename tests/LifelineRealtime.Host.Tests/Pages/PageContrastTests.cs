using System.Text.Json;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// WCAG 2.2 AA contrast of the pages' colours as Chromium computes them from pages.css: at least 4.5:1 for text,
/// 3:1 for large text (24px, or 18.66px bold) and for the focus outline against what it is drawn on.
/// </summary>
public sealed class PageContrastTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The contrast of every element matching each selector, with its colours; the page's own styles only.</summary>
    private const string Measure = """
        (selectors) => {
          const rgb = (c) => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
          const lum = ({ r, g, b }) => [r, g, b].map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = (e) => {
            for (let x = e; x; x = x.parentElement) { const c = rgb(getComputedStyle(x).backgroundColor); if (c.a > 0) return c; }
            return { r: 255, g: 255, b: 255, a: 1 };
          };
          const ratio = (a, b) => { const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x); return (l1 + 0.05) / (l2 + 0.05); };
          const out = [];
          for (const sel of selectors) {
            const els = [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0 && e.textContent.trim() !== '');
            if (els.length === 0) { out.push({ sel, missing: true }); continue; }
            for (const e of els) {
              const s = getComputedStyle(e);
              const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
              const large = size >= 24 || (size >= 18.66 && bold);
              out.push({ sel, text: e.textContent.trim().slice(0, 30), color: s.color, background: getComputedStyle(e).backgroundColor, size, bold,
                ratio: Math.round(ratio(rgb(s.color), background(e)) * 100) / 100, needed: large ? 3 : 4.5 });
            }
          }
          return out;
        }
        """;

    private static void AssertContrast(JsonElement results)
    {
        var failures = new List<string>();
        foreach (var r in results.EnumerateArray())
        {
            if (r.TryGetProperty("missing", out _))
            {
                failures.Add($"{r.GetProperty("sel").GetString()}: nothing on the page to measure");
            }
            else if (r.GetProperty("ratio").GetDouble() < r.GetProperty("needed").GetDouble())
            {
                failures.Add($"{r.GetProperty("sel").GetString()} '{r.GetProperty("text").GetString()}' {r.GetProperty("color").GetString()} at {r.GetProperty("size").GetDouble()}px: {r.GetProperty("ratio").GetDouble()}:1 < {r.GetProperty("needed").GetDouble()}:1");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
    }


    [Theory]
    [InlineData("/wallboard/digi", 1366, 768)]
    [InlineData("/wallboard", 1366, 768)]
    public async Task Wallboard_EveryKindOfText_MeetsAaContrast(string path, int width, int height)
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await BoardTraffic.Busy("digi", ["check_in", "check_out", "debrief", "imminent", "safety", "support"]).DispatchAsync(factory, Ct);
        var page = await browser.OpenAsync(root + path, width, height);
        foreach (var lv in (string[])["ok", "warn", "bad"])
        {
            await page.Locator($".fig.lv-{lv}").First.WaitForAsync(new() { Timeout = 15_000 });
        }

        await page.Locator(".activity li.more").First.WaitForAsync(new() { Timeout = 15_000 });
        var figures = await page.EvaluateAsync<JsonElement>(Measure, new[]
        {
            ".types .fig.lv-ok .num", ".types .fig.lv-warn .num", ".types .fig.lv-bad .num", ".rates .fig.lv-ok .num", ".fig.lv-bad .shape",
            ".types td .fig:not([class*='lv-']) .num", "th[scope='row']", "thead th", ".activity h3", ".activity li .who", ".activity li .fig", ".activity li.more",
            "#title", "#updated", "#connection",
        });

        // The urgent banner and the reconnecting flag, as pages.css draws them (set for this one synchronous read).
        var states = await page.EvaluateAsync<JsonElement>($$"""
            () => {
              const u = document.getElementById('urgent'); u.hidden = false; u.textContent = '⚠ URGENT DIGI imminent contact waiting 0:45';
              const c = document.getElementById('connection'); c.dataset.state = 'reconnecting'; c.textContent = 'reconnecting…';
              const p = document.createElement('p'); p.className = 'problem'; p.textContent = 'Not allowed'; document.getElementById('app').append(p);
              const n = document.createElement('p'); n.className = 'note'; n.textContent = 'No agents logged in.'; document.getElementById('app').append(n);
              return ({{Measure}})(['#urgent', '#connection', '.problem', '.note']);
            }
            """);
        AssertContrast(figures);
        AssertContrast(states);
    }

    [Fact]
    public async Task TeamView_TextBarsAndControls_MeetAaContrast_AndTheKeyboardReachesThePickerAndEveryAgent()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await SimulatedDay.AppendAsync(factory, Ct);
        var day = "day:" + SimulatedDay.Yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var page = await browser.OpenAsync($"{root}/teams/digi/Team%20A?window={day}", 1366, 768);
        await page.Locator(".agents-table .stack .seg").First.WaitForAsync(new() { Timeout = 15_000 });

        AssertContrast(await page.EvaluateAsync<JsonElement>(Measure, new[]
        {
            ".stack .seg", ".measures td .fig .num", ".measures th[scope='row']", ".measures thead th", ".agents-table th a", ".agents-table td.text",
            ".picker label", "caption", ".legend li", ".crumbs", "#title", "#updated",
        }));

        // Tab order: the picker's select, date and button, then every agent's link, each with a visible focus
        // (a date input's focus is on a part inside it: the whole input is ringed).
        var agents = await page.Locator(".agents-table th a").CountAsync();
        var reached = new List<string>();
        for (var i = 0; i < 12 + agents; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; const s = getComputedStyle(e); return s.outlineStyle === 'solid' && parseFloat(s.outlineWidth) >= 2 ? (e.id || e.tagName + ':' + e.textContent) : 'no visible focus: ' + e.tagName; }"));
        }

        Assert.DoesNotContain(reached, r => r.StartsWith("no visible focus", StringComparison.Ordinal) && !r.EndsWith("BODY", StringComparison.Ordinal));
        Assert.Contains("window-kind", reached);
        Assert.Contains("BUTTON:Show", reached);
        Assert.Equal(agents, reached.Count(r => r.StartsWith("A:", StringComparison.Ordinal) && !r.StartsWith("A:Home", StringComparison.Ordinal) && !r.StartsWith("A:Team wallboard", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Home_LinksButtonsAndNotes_MeetAaContrastAndShowAVisibleFocus()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        var page = await browser.OpenAsync(root + "/", 1366, 768);
        await page.Locator("main a").First.WaitForAsync(new() { Timeout = 15_000 });
        await page.EvaluateAsync("""
            () => {
              const b = document.createElement('button'); b.textContent = 'Sign out'; document.getElementById('app').append(b);
              const a = document.createElement('a'); a.className = 'button'; a.href = '/'; a.textContent = 'Sign in'; document.getElementById('app').append(a);
            }
            """);

        AssertContrast(await page.EvaluateAsync<JsonElement>(Measure, new[] { "main a:not(.button)", "a.button", "button", "main .note", "h2", "h3" }));

        // Keyboard focus: a 3:1 outline at least 2px wide on the link, the button and the link styled as one.
        var outlines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<JsonElement>("""
                () => {
                  const e = document.activeElement; if (!e || e === document.body) return null;
                  const s = getComputedStyle(e);
                  const rgb = (c) => c.match(/[\d.]+/g).map(Number);
                  const lum = (c) => rgb(c).slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
                  const bg = getComputedStyle(document.body).backgroundColor;
                  const [l1, l2] = [lum(s.outlineColor), lum(bg)].sort((x, y) => y - x);
                  return { tag: e.tagName + (e.className ? '.' + e.className : ''), style: s.outlineStyle, width: parseFloat(s.outlineWidth), ratio: (l1 + 0.05) / (l2 + 0.05), visible: e.matches(':focus-visible') };
                }
                """);
            if (focus.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var tag = focus.GetProperty("tag").GetString()!;
            Assert.True(focus.GetProperty("visible").GetBoolean() && focus.GetProperty("style").GetString() == "solid" && focus.GetProperty("width").GetDouble() >= 2 && focus.GetProperty("ratio").GetDouble() >= 3, $"focus on {tag}: {focus}");
            outlines.Add(tag);
        }

        Assert.Contains("A", outlines);
        Assert.Contains("A.button", outlines);
        Assert.Contains("BUTTON", outlines);
    }
}
