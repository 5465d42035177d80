using System.Text.Json;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>
/// Browser sign-in in a real headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright; no
/// browser download): the provider is another site (<c>localhost</c> against the host's <c>127.0.0.1</c>),
/// so the cookies' SameSite rules apply as they will with the organisation's provider.
/// </summary>
public sealed class BrowserSignInChromiumTests
{
    private static readonly TestUser Analyst = new("user-42", "Dana Analyst", [Roles.DataAnalyst], ["digi"], []);

    [Fact]
    public async Task SignIn_InChromium_CodeFlowThroughTheProviderEndsSignedInOnTheApi()
    {
        await using var site = await SignInSite.StartAsync(Analyst, TestContext.Current.CancellationToken);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        IResponse? callback = null;
        var response = await page.RunAndWaitForResponseAsync(
            async () => callback = await page.GotoAsync($"{site.Origin}/signin?returnUrl=/api/platforms"),
            $"{site.Origin}/api/platforms");

        // The redirects end at the callback's page, which moves on to the return URL itself (see BrowserSignIn).
        Assert.NotNull(callback);
        var chain = new List<string>();
        for (var request = callback.Request; request is not null; request = request.RedirectedFrom)
        {
            chain.Insert(0, new Uri(request.Url).GetLeftPart(UriPartial.Path));
        }

        Assert.Equal([$"{site.Origin}/signin", $"{site.Provider.Issuer}/authorize", $"{site.Origin}/signin-oidc"], chain);
        Assert.Equal(200, callback.Status);
        Assert.Equal(200, response.Status);
        using (var json = JsonDocument.Parse(await response.TextAsync()))
        {
            Assert.Equal(["digi"], json.RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        }

        var session = Assert.Single(await context.CookiesAsync([site.Origin]), c => c.Name == AccessExtensions.CookieName);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
    }

    [Fact]
    public async Task SignIn_InChromium_ThroughTheProvidersOwnSignInPage_EndsSignedInOnTheApi()
    {
        await using var site = await SignInSite.StartAsync(Analyst, TestContext.Current.CancellationToken);
        site.Provider.AskFirst = true;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{site.Origin}/signin?returnUrl=/api/platforms");
        Assert.Equal($"{site.Provider.Issuer}/authorize", new Uri(page.Url).GetLeftPart(UriPartial.Path));

        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button"), $"{site.Origin}/api/platforms");

        // The provider's page started this navigation: a redirect would carry no SameSite=Strict cookie (401).
        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(await response.TextAsync());
        Assert.Equal(["digi"], json.RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
}
