using System.Net;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>Signature URL reconstruction behind a proxy, over a real socket (the peer address matters).</summary>
public sealed class ForwardedHeadersTests
{
    private const string Fixture = "01-task.created.form";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LifelineHostFactory Start(params string[] trustedProxies)
    {
        var factory = new LifelineHostFactory(s =>
        {
            s["Lifeline:Ingest:PublicBaseUrl"] = "";
            for (var i = 0; i < trustedProxies.Length; i++)
            {
                s[$"Lifeline:Ingest:TrustedProxies:{i}"] = trustedProxies[i];
            }
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    private static HttpRequestMessage Forwarded(string path, string signature, string? prefix = null)
    {
        var request = WebhookRequests.Form(path, Fixtures.Text(Fixture), signature);
        request.Headers.Add("X-Forwarded-For", "35.90.102.130");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "lifeline.example.org");
        if (prefix is not null)
        {
            request.Headers.Add("X-Forwarded-Prefix", prefix);
        }

        return request;
    }

    [Fact]
    public async Task Webhook_ForwardedByTrustedProxy_VerifiesAgainstPublicUrl()
    {
        await using var factory = Start("127.0.0.1");
        using var client = factory.CreateClient();

        using var request = Forwarded("/webhooks/taskrouter/digi", Fixtures.Signature(Fixture));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task Webhook_ForwardedWithPrefixByTrustedNetwork_VerifiesAgainstPrefixedUrl()
    {
        await using var factory = Start("127.0.0.0/8");
        using var client = factory.CreateClient();
        var fields = TaskRouterEventParser.DecodeForm(Fixtures.Text(Fixture));
        var signature = TwilioTestSigner.Sign(TestPlatforms.DigiToken, "https://lifeline.example.org/lifeline/webhooks/taskrouter/digi", fields);

        using var request = Forwarded("/webhooks/taskrouter/digi", signature, prefix: "/lifeline");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_ForwardedHeadersFromUntrustedPeer_AreIgnoredAndSignatureFails()
    {
        await using var factory = Start("10.0.0.1");
        using var client = factory.CreateClient();

        using var request = Forwarded("/webhooks/taskrouter/digi", Fixtures.Signature(Fixture));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await factory.ReadJournalAsync());
    }

    [Fact]
    public async Task Webhook_NoProxyNoBaseUrl_VerifiesAgainstTheRequestsOwnUrl()
    {
        await using var factory = Start();
        using var client = factory.CreateClient();
        var url = new Uri(client.BaseAddress!, "/webhooks/taskrouter/digi?source=direct").ToString();
        var fields = TaskRouterEventParser.DecodeForm(Fixtures.Text(Fixture));

        using var request = WebhookRequests.Form("/webhooks/taskrouter/digi?source=direct", Fixtures.Text(Fixture), TwilioTestSigner.Sign(TestPlatforms.DigiToken, url, fields));
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
