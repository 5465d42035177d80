using System.Net;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Access;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>
/// The embedded demo's sign-in: in Development with nothing under <c>Lifeline:Auth</c>, a one-time link signs a
/// browser in as a demo admin; the session cookie's writes must come from this site (CSRF).
/// </summary>
public sealed class LocalSignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LifelineHostFactory DevelopmentHost() => new(
        s =>
        {
            s.Remove("Lifeline:Auth:SigningKey");
            s.Remove("Lifeline:Auth:Issuer");
            s.Remove("Lifeline:Auth:Audience");
            s["Lifeline:Simulator:Enabled"] = "false";
        },
        environment: "Development");

    /// <summary>A browser-like client: keeps cookies, does not follow redirects, presents no bearer token.</summary>
    private static HttpClient Browser(LifelineHostFactory factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    [Fact]
    public async Task Link_FirstUse_SignsTheBrowserInAsAdmin_SecondUseRefused()
    {
        await using var factory = DevelopmentHost();
        using var browser = Browser(factory);
        var link = factory.Services.GetRequiredService<LocalSignIn>().Link;
        Assert.NotNull(link);

        using var before = await browser.GetAsync(new Uri("/api/platforms", UriKind.Relative), Ct);
        using var signIn = await browser.GetAsync(new Uri(link, UriKind.Relative), Ct);
        using var after = await browser.GetAsync(new Uri("/api/admin/quarantine", UriKind.Relative), Ct);
        using var again = await Browser(factory).GetAsync(new Uri(link, UriKind.Relative), Ct);
        using var guessed = await Browser(factory).GetAsync(new Uri(LocalSignIn.Path + "?token=guess", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal((HttpStatusCode.Redirect, "/"), (signIn.StatusCode, signIn.Headers.Location?.OriginalString));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(AccessExtensions.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, guessed.StatusCode);

        var audit = await factory.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.SignIn), Ct);
        Assert.Equal(("local-demo", "ok", "local sign-in link"), Assert.Single(audit) is var line ? (line.Actor, line.Outcome, line.Detail) : default);
    }

    [Fact]
    public async Task Link_ConfiguredSigningKey_IsOff()
    {
        await using var factory = new LifelineHostFactory(environment: "Development", configure: s => s["Lifeline:Simulator:Enabled"] = "false");
        using var browser = Browser(factory);

        Assert.Null(factory.Services.GetRequiredService<LocalSignIn>().Link);
        using var response = await browser.GetAsync(new Uri(LocalSignIn.Path + "?token=anything", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("http://evil.example", null, HttpStatusCode.Forbidden)]
    [InlineData(null, "cross-site", HttpStatusCode.Forbidden)]
    [InlineData(null, null, HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", null, HttpStatusCode.OK)]
    [InlineData(null, "same-origin", HttpStatusCode.OK)]
    public async Task SessionWrite_FromAnotherSite_Refused(string? origin, string? fetchSite, HttpStatusCode expected)
    {
        await using var factory = DevelopmentHost();
        using var browser = Browser(factory);
        using (await browser.GetAsync(new Uri(factory.Services.GetRequiredService<LocalSignIn>().Link!, UriKind.Relative), Ct))
        {
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/admin/quarantine/reapply", UriKind.Relative));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await browser.SendAsync(request, Ct);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Production_NothingConfigured_RefusesToStartInOneLineNamingTheKeys()
    {
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var settings = TestPlatforms.Settings(databasePath);
        settings.Remove("Lifeline:Auth:SigningKey");
        settings.Remove("Lifeline:Auth:Issuer");
        settings.Remove("Lifeline:Auth:Audience");
        try
        {
            var (exitCode, output, error) = await HostProcess.RunToExitAsync(TestPlatforms.Arguments(settings), "http://127.0.0.1:0", TimeSpan.FromSeconds(60), Ct);

            Assert.Equal(2, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            foreach (var key in (string[])["Lifeline:Auth:Authority", "Lifeline:Auth:Audience", "Lifeline:Auth:SigningKey", "Lifeline:Auth:Issuer", "Lifeline:Auth:Mode=Open"])
            {
                Assert.Contains(key, line, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }
}
