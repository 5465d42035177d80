using System.Net;
using System.Text.Json;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>
/// Browser sign-in (design §8): the OIDC code flow with PKCE against <see cref="TestIdentityProvider"/>,
/// walked redirect by redirect with a cookie jar, as a browser would, over real sockets.
/// </summary>
public sealed class BrowserSignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TestUser CissLeader = new("user-17", "Casey Leader", [Roles.FullAccess], ["ciss"], ["Team A"]);

    [Fact]
    public async Task SignIn_CodeFlowWithPkce_EndsInAnHttpOnlySameSiteSessionThatSeesOnlyTheGrantedPlatforms()
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        using var browser = site.NewBrowser();

        var hops = await browser.WalkAsync("/signin?returnUrl=%2Fapi%2Fplatforms", Ct);

        Assert.Equal(
            [$"{site.Provider.Issuer}/authorize", $"{site.Origin}/signin-oidc", $"{site.Origin}/api/platforms"],
            hops.Skip(1).Select(h => h.Uri.GetLeftPart(UriPartial.Path)));
        var callback = hops[^2].Response;
        var session = Assert.Single(callback.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AccessExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        var last = hops[^1].Response;
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(["ciss"], await PlatformIdsAsync(last));

        var authorize = Assert.Single(site.Provider.Authorizations);
        // response_mode is left out because query is the code flow's default; form_post would have been named.
        Assert.Equal(("code", null, "S256", "openid profile"), (authorize.ResponseType, authorize.ResponseMode, authorize.CodeChallengeMethod, authorize.Scope));
        Assert.Equal($"{site.Origin}/signin-oidc", authorize.RedirectUri);
        var redeemed = Assert.Single(site.Provider.TokenRequests);
        Assert.Null(redeemed.Refusal);
        Assert.Equal(authorize.CodeChallenge, TestIdentityProvider.S256(redeemed.CodeVerifier!));

        var audit = await site.Factory.Services.GetRequiredService<LifelineRealtime.Storage.Access.IAuditLog>()
            .QueryAsync(new LifelineRealtime.Storage.Access.AuditQuery(Action: LifelineRealtime.Storage.Access.AuditActions.SignIn), Ct);
        Assert.Equal((CissLeader.Subject, "ok", "OIDC browser sign-in"), Assert.Single(audit) is var line ? (line.Actor, line.Outcome, line.Detail) : default);
    }

    [Fact]
    public async Task SignIn_TeamLeader_TheSessionCarriesRolesAndTeamsFromTheIdToken()
    {
        await using var site = await SignInSite.StartAsync(new TestUser("user-9", "Tam Leader", [Roles.TeamLeader], ["ciss"], ["Team A", "Team C"]), Ct);
        using var browser = site.NewBrowser();
        await browser.WalkAsync("/signin?returnUrl=/api/platforms", Ct);

        using var own = await browser.GetAsync(new Uri(site.Host, "/api/platforms/ciss/teams/Team%20C/metrics?window=15m"), Ct);
        using var other = await browser.GetAsync(new Uri(site.Host, "/api/platforms/ciss/teams/Team%20B/metrics?window=15m"), Ct);
        using var platformTotals = await browser.GetAsync(new Uri(site.Host, "/api/platforms/ciss/metrics?window=15m"), Ct);
        using var notGranted = await browser.GetAsync(new Uri(site.Host, "/api/platforms/digi/teams/Team%20C/metrics?window=15m"), Ct);

        // Its own team passes the policy and is then only unknown (no event has named it yet: 404); another
        // team and the platform's totals are refused (403); a platform not granted does not exist (404).
        Assert.Equal(
            (HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NotFound),
            (own.StatusCode, other.StatusCode, platformTotals.StatusCode, notGranted.StatusCode));
    }

    [Fact]
    public async Task SignIn_CodeRedeemedWithoutTheHostsVerifier_IsRefusedWhileTheHostsOwnRedemptionSignsIn()
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        using var browser = site.NewBrowser();
        var toProvider = await browser.GetAsync(new Uri(site.Host, "/signin?returnUrl=/api/platforms"), Ct);
        var backToHost = await browser.GetAsync(toProvider.Headers.Location!, Ct);
        var callback = backToHost.Headers.Location!;
        var code = Query(callback, "code");
        var authorize = Assert.Single(site.Provider.Authorizations);

        // Someone who intercepted the code but not the verifier the host kept: the provider refuses.
        using var thief = new HttpClient();
        foreach (var verifier in (string?[])["a-guess-at-the-verifier-that-is-long-enough-for-rfc-7636-00", null])
        {
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["client_id"] = authorize.ClientId,
                ["redirect_uri"] = authorize.RedirectUri,
            };
            if (verifier is not null)
            {
                form["code_verifier"] = verifier;
            }

            using var stolen = await thief.PostAsync(new Uri($"{site.Provider.Issuer}/token"), new FormUrlEncodedContent(form), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        }

        var hops = await browser.WalkAsync(callback.PathAndQuery, Ct);

        Assert.Equal(HttpStatusCode.OK, hops[^1].Response.StatusCode);
        Assert.Equal(["ciss"], await PlatformIdsAsync(hops[^1].Response));
        Assert.Equal(
            ["code_verifier does not match the code_challenge", "code_verifier does not match the code_challenge", null],
            site.Provider.TokenRequests.Select(t => t.Refusal));
    }

    [Fact]
    public async Task SignIn_ProviderCannotMatchTheVerifierToItsChallenge_FailsWithAProblemAndNoSession()
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        site.Provider.ForgetChallenge = true;
        using var browser = site.NewBrowser();

        var hops = await browser.WalkAsync("/signin?returnUrl=/api/platforms", Ct);

        var callback = hops[^1];
        Assert.Equal($"{site.Origin}/signin-oidc", callback.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal((HttpStatusCode.Unauthorized, "application/problem+json"), (callback.Response.StatusCode, callback.Response.Content.Headers.ContentType?.MediaType));
        Assert.Equal("code_verifier does not match the code_challenge", Assert.Single(site.Provider.TokenRequests).Refusal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(site.Host).Cast<Cookie>(), c => c.Name == AccessExtensions.CookieName);
        using var api = await browser.GetAsync(new Uri(site.Host, "/api/platforms"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/api/platforms")]
    [InlineData("//evil.example/api/platforms")]
    [InlineData("/\\evil.example/api/platforms")]
    public async Task SignIn_ReturnUrlOnAnotherSite_LandsOnThisHostsRoot(string returnUrl)
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        using var browser = site.NewBrowser();

        var hops = await browser.WalkAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), Ct);

        Assert.Equal($"{site.Origin}/", hops[^1].Uri.ToString());
        Assert.Single(browser.Cookies.GetCookies(site.Host).Cast<Cookie>(), c => c.Name == AccessExtensions.CookieName);
    }

    [Fact]
    public async Task SignOut_FromAnotherOrigin_403AndTheSessionStays()
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        using var browser = site.NewBrowser();
        await browser.WalkAsync("/signin?returnUrl=/api/platforms", Ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(site.Host, "/signout"));
        request.Headers.Add("Origin", "https://evil.example");
        using var refused = await browser.SendAsync(request, Ct);
        using var still = await browser.GetAsync(new Uri(site.Host, "/api/platforms"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task SignOut_FromTheSameOrigin_EndsTheSessionHereAndAtTheProvider()
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        using var browser = site.NewBrowser();
        await browser.WalkAsync("/signin?returnUrl=/api/platforms", Ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(site.Host, "/signout"));
        request.Headers.Add("Origin", site.Origin);
        using var signedOut = await browser.SendAsync(request, Ct);
        using var after = await browser.GetAsync(new Uri(site.Host, "/api/platforms"), Ct);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal($"{site.Provider.Issuer}/logout", signedOut.Headers.Location!.GetLeftPart(UriPartial.Path));
        Assert.Equal($"{site.Origin}/signout-callback-oidc", Query(signedOut.Headers.Location!, "post_logout_redirect_uri"));
        Assert.DoesNotContain(browser.Cookies.GetCookies(site.Host).Cast<Cookie>(), c => c.Name == AccessExtensions.CookieName);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("/api/platforms")]
    [InlineData("/api/platforms/ciss/metrics?window=15m")]
    public async Task Api_WithoutSessionWhileBrowserSignInIsOn_401AndNoRedirect(string path)
    {
        await using var site = await SignInSite.StartAsync(CissLeader, Ct);
        using var browser = site.NewBrowser();

        using var response = await browser.GetAsync(new Uri(site.Host, path), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Empty(site.Provider.Authorizations);
    }

    [Fact]
    public async Task SignIn_WithoutAClientId_404AndTheCallbackIsNotAnswered()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        using var signIn = await client.GetAsync("/signin?returnUrl=/api/platforms", Ct);
        using var callback = await client.GetAsync("/signin-oidc?code=x&state=y", Ct);

        Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        Assert.Null(signIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Unauthorized, callback.StatusCode);
    }

    [Theory]
    [InlineData("https://login.example.org/tenant/v2.0", CookieSecurePolicy.Always)]
    [InlineData("http://127.0.0.1:5999", CookieSecurePolicy.SameAsRequest)]
    public async Task Cookies_OfTheFlowAndTheSession_HttpOnlySecureUnlessTheProviderIsOnLoopback(string authority, CookieSecurePolicy secure)
    {
        await using var factory = new LifelineHostFactory(s =>
        {
            s.Remove("Lifeline:Auth:SigningKey");
            s.Remove("Lifeline:Auth:Issuer");
            s["Lifeline:Auth:Authority"] = authority;
            s["Lifeline:Auth:ClientId"] = SignInSite.ClientId;
        });

        var session = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie;
        var oidc = factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(BrowserSignIn.Scheme);

        Assert.Equal((true, SameSiteMode.Strict, secure), (session.HttpOnly, session.SameSite, session.SecurePolicy));
        Assert.Equal((true, SameSiteMode.Lax, secure), (oidc.CorrelationCookie.HttpOnly, oidc.CorrelationCookie.SameSite, oidc.CorrelationCookie.SecurePolicy));
        Assert.Equal((true, SameSiteMode.Lax, secure), (oidc.NonceCookie.HttpOnly, oidc.NonceCookie.SameSite, oidc.NonceCookie.SecurePolicy));
        Assert.Equal((OpenIdConnectResponseType.Code, true, false, false), (oidc.ResponseType, oidc.UsePkce, oidc.SaveTokens, oidc.MapInboundClaims));
        Assert.Equal(secure == CookieSecurePolicy.Always, oidc.RequireHttpsMetadata);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/api/platforms?x=1", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("api/platforms", false)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("/api\r\nLocation: https://evil.example", false)]
    public void IsLocalPath_OnlyPathsOnThisHost(string? url, bool local) =>
        Assert.Equal(local, BrowserSignIn.IsLocalPath(url));

    private static string Query(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)[name].Single()!;

    private static async Task<string[]> PlatformIdsAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return [.. json.RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
    }
}
