using System.Globalization;
using System.Net;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Host.Tests.Conversations;
using LifelineRealtime.Host.Tests.Conversations.Transcripts;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>The conversation list and one conversation's page in a real browser: filter, page on, open a transcript.</summary>
public sealed class ConversationsPageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Conversations_FilterPageOnAndOpenATranscript()
    {
        var twilio = new RecordedConversations().Pages(TestPlatforms.DigiAccount, "messages-page-0.json", "messages-page-1.json", "messages-page-2.json");
        var (factory, root) = PageBrowser.Host(s => s.AddHttpClient(TranscriptDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => twilio));
        await using var _ = factory;
        await SimulatedDay.AppendAsync(factory, Ct);
        await RecordedStory.AppendAsync(factory, Ct);
        var yesterday = SimulatedDay.Yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = await browser.OpenAsync($"{root}/conversations/digi?from={yesterday}&to={yesterday}", 1920, 1080);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        // A simulated day holds more than a page: "Show more" adds the next one, no row twice.
        var rows = page.Locator("#rows tr");
        await Expect(rows).ToHaveCountAsync(50, new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show more" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#rows tr').length > 50", null, new() { Timeout = 10_000 });
        var tasks = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.task)");
        Assert.Equal(tasks.Length, tasks.Distinct(StringComparer.Ordinal).Count());
        await PageBrowser.ScreenshotAsync(page, "conversations-1920x1080");

        // Filters: the story's day, handled only (kept in the address).
        await page.Locator("#f-from").FillAsync("2026-11-24");
        await page.Locator("#f-to").FillAsync("2026-11-24");
        await page.Locator("#f-outcome").SelectOptionAsync("handled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        Assert.Contains("outcome=handled", page.Url, StringComparison.Ordinal);
        Assert.Equal("WT000000000000000000000000d1000001", await rows.First.GetAttributeAsync("data-task"));

        // The transcript: CS, ISS and system messages from the recorded conversation, attachments named.
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Transcript" }).ClickAsync();
        await Expect(page.Locator(".messages .msg")).ToHaveCountAsync(9, new() { Timeout = 10_000 });
        Assert.Equal(4, await page.Locator(".msg.cs").CountAsync());
        Assert.True(await page.Locator(".msg.iss").CountAsync() > 0);
        Assert.True(await page.Locator(".attachment").CountAsync() > 0);
        Assert.Contains("Jamie Citizen", await page.Locator("#app").TextContentAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "transcript-1920x1080");
        Assert.Empty(errors);
        Assert.Empty(twilio.Violations);
    }

    [Fact]
    public async Task Conversations_DataAnalyst_SeesPseudonymsAndNoTranscript_OnEveryPage()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await RecordedStory.AppendAsync(factory, Ct);
        var analyst = TestTokens.Issue([LifelineRealtime.Host.Access.Roles.DataAnalyst], platforms: ["digi"]);
        var page = await browser.OpenAsync($"{root}/conversations/digi?from=2026-11-24&to=2026-11-24", 1366, 768, analyst);

        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        var list = await page.Locator("#app").TextContentAsync();
        Assert.DoesNotContain("Citizen", list, StringComparison.Ordinal);
        Assert.Matches("CS-[0-9a-f]{12} \\(pseudonym\\)", list);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Transcript" }).CountAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Details" }).First.ClickAsync();
        await page.Locator(".facts").WaitForAsync(new() { Timeout = 10_000 });
        var details = await page.Locator("#app").TextContentAsync();
        Assert.DoesNotContain("Citizen", details, StringComparison.Ordinal);
        Assert.Contains("may not open transcripts", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_Anonymous_IsSentToSignIn()
    {
        var (factory, root) = PageBrowser.Host();
        await using var _ = factory;
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync($"{root}/conversations/digi");

        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)response!.Status);
        Assert.StartsWith($"{root}/welcome?returnUrl=", page.Url, StringComparison.Ordinal);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
