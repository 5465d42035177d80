using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>One headless Chromium (Debian's, never downloaded) shared by a test class; each test opens its own context.</summary>
public sealed class PageBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A page of a new context signed in with a bearer token (an admin's unless given), at a viewport, opened at <paramref name="url"/>; the context closes with the browser.</summary>
    public async Task<IPage> OpenAsync(string url, int width = 1920, int height = 1080, string? bearer = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + (bearer ?? TestTokens.Admin) },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>The host on a real port (a browser needs one).</summary>
    internal static (LifelineHostFactory Factory, string Root) Host(Action<IServiceCollection>? services = null, Action<Dictionary<string, string?>>? configure = null)
    {
        var factory = new LifelineHostFactory(configure, services);
        factory.UseKestrel(0);
        factory.StartServer();
        var root = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return (factory, root);
    }

    /// <summary>Saves a screenshot under artifacts/screenshots (gitignored) and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(Repository.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }
}
