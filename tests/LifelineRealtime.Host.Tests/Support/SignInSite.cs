using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>
/// The real host on a loopback socket with browser sign-in at a <see cref="TestIdentityProvider"/>: the
/// host is reached as <c>127.0.0.1</c>, the provider as <c>localhost</c>.
/// </summary>
internal sealed class SignInSite : IAsyncDisposable
{
    public const string ClientId = "lifeline-browser";

    private SignInSite(TestIdentityProvider provider, LifelineHostFactory factory, Uri host)
    {
        Provider = provider;
        Factory = factory;
        Host = host;
    }

    public TestIdentityProvider Provider { get; }

    public LifelineHostFactory Factory { get; }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri Host { get; }

    /// <summary><c>http://127.0.0.1:port</c>, as a browser sends it in <c>Origin</c>.</summary>
    public string Origin => Host.GetLeftPart(UriPartial.Authority);

    public static async Task<SignInSite> StartAsync(TestUser user, CancellationToken cancellationToken)
    {
        var provider = await TestIdentityProvider.StartAsync(ClientId, user, cancellationToken);
        var factory = new LifelineHostFactory(provider.Configure);
        try
        {
            factory.UseKestrel(0);
            factory.StartServer();
            var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new SignInSite(provider, factory, new Uri($"http://127.0.0.1:{address.Port}/"));
        }
        catch
        {
            await factory.DisposeAsync();
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>A cookie jar that follows redirects only when told to.</summary>
    public RedirectWalker NewBrowser() => new(Host);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// An HTTP client with a cookie jar that follows redirects, and a page's <c>meta refresh</c> as a browser
/// does, one hop at a time, keeping every hop.
/// </summary>
internal sealed partial class RedirectWalker : IDisposable
{
    private readonly Uri _host;
    private readonly HttpClient _client;

    public RedirectWalker(Uri host)
    {
        _host = host;
        _client = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true });
    }

    public CookieContainer Cookies { get; } = new();

    public Task<HttpResponseMessage> GetAsync(Uri uri, CancellationToken cancellationToken) => _client.GetAsync(uri, cancellationToken);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _client.SendAsync(request, cancellationToken);

    /// <summary>GETs <paramref name="pathAndQuery"/> on the host and every <c>Location</c> after it, to the first answer that is not a redirect.</summary>
    public async Task<IReadOnlyList<(Uri Uri, HttpResponseMessage Response)>> WalkAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var hops = new List<(Uri, HttpResponseMessage)>();
        var next = new Uri(_host, pathAndQuery);
        for (var i = 0; i < 10; i++)
        {
            var response = await _client.GetAsync(next, cancellationToken);
            hops.Add((next, response));
            Uri? location = null;
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                location = response.Headers.Location;
            }
            else if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/html"
                && MetaRefresh().Match(await response.Content.ReadAsStringAsync(cancellationToken)) is { Success: true } refresh)
            {
                location = new Uri(WebUtility.HtmlDecode(refresh.Groups[1].Value), UriKind.RelativeOrAbsolute);
            }

            if (location is null)
            {
                return hops;
            }

            next = location.IsAbsoluteUri ? location : new Uri(next, location);
        }

        throw new InvalidOperationException("more than 10 redirects: " + string.Join(" -> ", hops.Select(h => h.Item1)));
    }

    public void Dispose() => _client.Dispose();

    [System.Text.RegularExpressions.GeneratedRegex("""<meta http-equiv="refresh" content="0;url=([^"]*)">""")]
    private static partial System.Text.RegularExpressions.Regex MetaRefresh();
}
