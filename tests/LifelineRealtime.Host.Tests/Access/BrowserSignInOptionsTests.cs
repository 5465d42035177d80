using System.Security.Claims;
using LifelineRealtime.Host.Access;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>The settings that turn browser sign-in on, and the claims it carries into the session.</summary>
public sealed class BrowserSignInOptionsTests
{
    private static AuthOptions Oidc() => new() { Authority = "https://login.example.org/tenant/v2.0", Audience = "api://lifeline", ClientId = "3f1c-client" };

    [Fact]
    public void Validate_AuthorityAudienceAndClientId_NoFailureAndBrowserSignInOn()
    {
        var options = Oidc();

        Assert.Empty(options.Validate());
        Assert.True(options.HasBrowserSignIn);
    }

    [Fact]
    public void Validate_AuthorityWithoutClientId_BearerOnly()
    {
        var options = Oidc();
        options.ClientId = null;

        Assert.Empty(options.Validate());
        Assert.False(options.HasBrowserSignIn);
    }

    [Fact]
    public void Validate_ClientIdWithoutAuthority_NamesBothKeys()
    {
        var options = new AuthOptions { ClientId = "3f1c-client" };

        Assert.Equal(["Lifeline:Auth:ClientId is set but Lifeline:Auth:Authority is not: browser sign-in needs the OIDC provider."], options.Validate());
        Assert.False(options.HasBrowserSignIn);
    }

    [Fact]
    public void Validate_ClientSecretWithoutClientId_NamesBothKeys()
    {
        var options = Oidc();
        options.ClientId = null;
        options.ClientSecret = "s3cret";

        Assert.Equal(["Lifeline:Auth:ClientSecret is set but Lifeline:Auth:ClientId is not."], options.Validate());
    }

    [Fact]
    public void SplitJsonArrays_ArrayInAStringClaim_OneClaimPerElementOthersKept()
    {
        var identity = new ClaimsIdentity(
            [new Claim("platforms", """["ciss","digi"]"""), new Claim("platforms", "extra"), new Claim("teams", "[not json")], "test");

        BrowserSignIn.SplitJsonArrays(identity, "platforms");
        BrowserSignIn.SplitJsonArrays(identity, "teams");

        Assert.Equal(["extra", "ciss", "digi"], identity.FindAll("platforms").Select(c => c.Value));
        Assert.Equal(["[not json"], identity.FindAll("teams").Select(c => c.Value));
    }
}
