using LifelineRealtime.Host.Access;

namespace LifelineRealtime.Host.Tests.Access;

public sealed class AuthOptionsTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    [Fact]
    public void Validate_EachMistake_NamesItsKey()
    {
        Assert.Equal(["Lifeline:Auth:Mode must be 'Open' or unset (got 'Closed')."], new AuthOptions { Mode = "Closed" }.Validate());
        Assert.Equal(["Lifeline:Auth:Mode is 'Open' but Lifeline:Auth:SigningKey is set: choose one."],
            new AuthOptions { Mode = "Open", SigningKey = Key, Issuer = "i", Audience = "a" }.Validate());
        Assert.Contains("Lifeline:Auth:Authority must be an absolute https URL (http only on loopback), got 'http://login.example.org/'.",
            new AuthOptions { Authority = "http://login.example.org/", Audience = "a" }.Validate());
        Assert.Equal(["Lifeline:Auth:Audience is required with Lifeline:Auth:Authority."], new AuthOptions { Authority = "https://login.example.org/" }.Validate());
        Assert.Equal(["Lifeline:Auth:SigningKey must be base64 of at least 32 bytes (an HS256 key)."],
            new AuthOptions { SigningKey = Convert.ToBase64String(new byte[16]), Issuer = "i", Audience = "a" }.Validate());
        Assert.Equal(["Lifeline:Auth:SigningKey must be base64 of at least 32 bytes (an HS256 key)."],
            new AuthOptions { SigningKey = "not base64!", Issuer = "i", Audience = "a" }.Validate());
        Assert.Equal(["Lifeline:Auth:Issuer is required with Lifeline:Auth:SigningKey.", "Lifeline:Auth:Audience is required with Lifeline:Auth:SigningKey."],
            new AuthOptions { SigningKey = Key }.Validate());
        Assert.Equal(["Lifeline:Auth:ClockSkew must be between 00:00:00 and 00:05:00 (got 00:10:00)."],
            new AuthOptions { Mode = "Open", ClockSkew = TimeSpan.FromMinutes(10) }.Validate());
        Assert.Equal(["Lifeline:Auth:RolesClaim must name a claim."], new AuthOptions { Mode = "Open", RolesClaim = " " }.Validate());
    }

    [Fact]
    public void Validate_EachWayOfSigningIn_IsValid()
    {
        Assert.Empty(new AuthOptions().Validate());
        Assert.Empty(new AuthOptions { Mode = "open" }.Validate());
        Assert.Empty(new AuthOptions { Authority = "https://login.example.org/tenant/v2.0", Audience = "api://lifeline" }.Validate());
        Assert.Empty(new AuthOptions { Authority = "http://127.0.0.1:5001/", Audience = "lifeline" }.Validate());
        Assert.Empty(new AuthOptions { SigningKey = Key, Issuer = "https://issuer.example/", Audience = "lifeline" }.Validate());
        Assert.True(new AuthOptions().IsUnconfigured);
        Assert.False(new AuthOptions { Mode = "Open" }.IsUnconfigured);
    }
}
