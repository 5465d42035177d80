using System.Text;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>
/// The vectors of ../shared/twilio §3.2 and payloads/signatures.json through our verifier (Twilio's
/// RequestValidator underneath). The comparison itself is RequestValidator's SecureCompare, which looks at
/// every character whatever the first mismatch (constant time for equal lengths); we add no compare of our own.
/// </summary>
public sealed class SignatureVectorTests
{
    private static readonly TwilioSignatureVerifier Verifier = new(Microsoft.Extensions.Options.Options.Create(new LifelineOptions()));

    // The verifier keeps its validators per platform id, so each token gets its own id here.
    private static PlatformOptions Platform(string token) => new() { Id = "p-" + token, AuthToken = token };

    private static Dictionary<string, string> Vector1Params => new(StringComparer.Ordinal)
    {
        ["EventType"] = "task.created",
        ["Sid"] = "EV00000000000000000000000000000001",
        ["TaskSid"] = "WT00000000000000000000000000000001",
    };

    private static Dictionary<string, string> Vector2Params => new(StringComparer.Ordinal)
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Fact]
    public void VerifyForm_Vector1_Valid() =>
        Assert.True(Verifier.VerifyForm(Platform("secret"), "https://example.org/tr", Vector1Params, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));

    [Fact]
    public void VerifyForm_Vector1bSignedWithPort443_ValidForUrlWithoutPort() =>
        Assert.True(Verifier.VerifyForm(Platform("secret"), "https://example.org/tr", Vector1Params, "rQ/kXPIuUdLVR9Th/mnMIYj28rU="));

    [Fact]
    public void VerifyForm_Vector1SignedWithoutPort_RefusedByRequestValidatorWhenUrlHasPort443() =>
        // Why PublicUrl drops a default port: Twilio's validator only adds it, it does not take it away.
        Assert.False(Verifier.VerifyForm(Platform("secret"), "https://example.org:443/tr", Vector1Params, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));

    [Theory]
    [InlineData("https", 443, "https://lifeline.example.org/webhooks/taskrouter/digi")]
    [InlineData("http", 80, "http://lifeline.example.org/webhooks/taskrouter/digi")]
    [InlineData("https", 8443, "https://lifeline.example.org:8443/webhooks/taskrouter/digi")]
    [InlineData("http", 443, "http://lifeline.example.org:443/webhooks/taskrouter/digi")]
    public void PublicUrl_FromRequest_DropsOnlyTheSchemesDefaultPort(string scheme, int port, string expected)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new("lifeline.example.org", port);
        context.Request.Path = "/webhooks/taskrouter/digi";

        Assert.Equal(expected, Verifier.PublicUrl(context.Request));
    }

    [Theory]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("kvajT1Ptam85bY51eRf/AJRuM3w=")]
    public void VerifyForm_Vector2WithQueryString_ValidWithAndWithoutPort(string signature) =>
        Assert.True(Verifier.VerifyForm(Platform("12345"), "https://mycompany.com/myapp.php?foo=1&bar=2", Vector2Params, signature));

    [Fact]
    public void VerifyForm_Vector4DocsExample_Valid()
    {
        var fields = Vector2Params;
        fields["Caller"] = "+12349013030";
        fields["From"] = "+12349013030";

        Assert.True(Verifier.VerifyForm(Platform("12345"), "https://mycompany.com/myapp.php?foo=1&bar=2", fields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    [Fact]
    public void VerifyForm_TamperedParameter_Invalid()
    {
        var fields = Vector1Params;
        fields["TaskSid"] = "WT00000000000000000000000000000002";

        Assert.False(Verifier.VerifyForm(Platform("secret"), "https://example.org/tr", fields, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));
    }

    [Fact]
    public void VerifyForm_ExtraParameter_Invalid()
    {
        var fields = Vector1Params;
        fields["TaskAge"] = "0";

        Assert.False(Verifier.VerifyForm(Platform("secret"), "https://example.org/tr", fields, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));
    }

    [Fact]
    public void VerifyForm_WrongToken_Invalid() =>
        Assert.False(Verifier.VerifyForm(Platform("secreT"), "https://example.org/tr", Vector1Params, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));

    [Theory]
    [InlineData("http://example.org/tr")]
    [InlineData("https://example.org/tr/")]
    [InlineData("https://www.example.org/tr")]
    public void VerifyForm_WrongUrl_Invalid(string url) =>
        Assert.False(Verifier.VerifyForm(Platform("secret"), url, Vector1Params, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));

    [Fact]
    public void VerifyForm_SignedWithoutPortButCalledOnOtherPort_IsAcceptedByRequestValidator() =>
        // RequestValidator strips any port, not only the default one; recorded here so a library change shows.
        Assert.True(Verifier.VerifyForm(Platform("secret"), "https://example.org:8443/tr", Vector1Params, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));

    [Fact]
    public void VerifyJson_Vector3BodyHash_Valid() =>
        Assert.True(Verifier.VerifyJson(
            Platform("12345"),
            "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
            """{"property": "value", "boolean": true}""",
            "a9nBmqA0ju/hNViExpshrM61xv4="));

    [Fact]
    public void VerifyJson_Vector3WithChangedBody_Invalid() =>
        Assert.False(Verifier.VerifyJson(
            Platform("12345"),
            "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
            """{"property": "value", "boolean": false}""",
            "a9nBmqA0ju/hNViExpshrM61xv4="));

    [Theory]
    [MemberData(nameof(FormFixtureNames))]
    public void VerifyForm_EveryFixture_ValidWithBothRecordedSignatures(string name)
    {
        var fields = LifelineRealtime.Domain.TaskRouter.Parsing.TaskRouterEventParser.DecodeForm(Fixtures.Text(name));
        var platform = Platform(Fixtures.Token(name));

        Assert.True(Verifier.VerifyForm(platform, Fixtures.Url(name), fields, Fixtures.Signature(name)));
        Assert.True(Verifier.VerifyForm(platform, Fixtures.Url(name), fields, Fixtures.SignatureWithPort(name)));
    }

    [Fact]
    public void VerifyJson_EventStreamsFixture_Valid()
    {
        const string name = "20-eventstreams-batch.json";

        Assert.True(Verifier.VerifyJson(Platform(Fixtures.Token(name)), Fixtures.Url(name), Encoding.UTF8.GetString(Fixtures.Bytes(name)), Fixtures.Signature(name)));
    }

    [Fact]
    public void PublicUrl_ConfiguredBase_WinsOverRequestHost()
    {
        var verifier = new TwilioSignatureVerifier(Microsoft.Extensions.Options.Options.Create(new LifelineOptions { Ingest = { PublicBaseUrl = "https://lifeline.example.org/" } }));
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new("10.0.0.5", 8080);
        context.Request.Path = "/webhooks/eventstreams/digi";
        context.Request.QueryString = new("?bodySHA256=abc");

        Assert.Equal("https://lifeline.example.org/webhooks/eventstreams/digi?bodySHA256=abc", verifier.PublicUrl(context.Request));
    }

    public static TheoryData<string> FormFixtureNames() => [.. Fixtures.FormNames];
}
