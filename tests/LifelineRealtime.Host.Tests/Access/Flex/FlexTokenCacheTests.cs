using System.Security.Cryptography;
using System.Text;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Flex;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Access.Flex;

public sealed class FlexTokenCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    private static FlexSignIn SignIn(DateTimeOffset expiration) => new("morgan", null, "digi", [Roles.TeamLeader], ["Night Team"], expiration);

    [Fact]
    public void Remember_TokenOutlivesTheCap_EntryLivesUntilTheCap()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new FlexTokenCache(clock);
        var signIn = SignIn(Now.AddHours(1));

        cache.Remember("k", signIn, TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var beforeCap = cache.TryGet("k", out var held);
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.True(beforeCap);
        Assert.Same(signIn, held);
        Assert.False(cache.TryGet("k", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Remember_TokenExpiresBeforeTheCap_EntryNeverOutlivesTheExpiration()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new FlexTokenCache(clock);

        cache.Remember("k", SignIn(Now.AddSeconds(90)), TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromSeconds(89));
        var before = cache.TryGet("k", out _);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(before);
        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void Remember_AlreadyExpired_IsNotRemembered()
    {
        var cache = new FlexTokenCache(new FakeTimeProvider(Now));

        cache.Remember("k", SignIn(Now), TimeSpan.FromMinutes(5));

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void RememberRefusal_ForItsDuration_AnswersRefusedThenForgets()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new FlexTokenCache(clock);

        cache.RememberRefusal("k", TimeSpan.FromSeconds(30));
        var remembered = cache.TryGet("k", out var signIn);
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal((true, (FlexSignIn?)null), (remembered, signIn));
        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void RememberRefusal_ZeroDuration_RemembersNothing()
    {
        var cache = new FlexTokenCache(new FakeTimeProvider(Now));

        cache.RememberRefusal("k", TimeSpan.Zero);

        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void Remember_BeyondMaxEntries_StaysBounded()
    {
        var cache = new FlexTokenCache(new FakeTimeProvider(Now));

        for (var i = 0; i <= FlexTokenCache.MaxEntries; i++)
        {
            cache.RememberRefusal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30));
        }

        Assert.True(cache.Count <= FlexTokenCache.MaxEntries, $"{cache.Count} entries");
        Assert.True(cache.TryGet(FlexTokenCache.MaxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture), out _));
    }

    [Fact]
    public void KeyOf_IsTheHexSha256OfTheToken()
    {
        const string token = "eyJ6aXAiOiJERUYiLCJraWQiOiJTQVNfUzNfX19LTVNfdjEiLCJjdHkiOiJ0d2lsaW8tZnBhO3Y9MSIsImVuYyI6IkEyNTZHQ00iLCJhbGciOiJkaXIifQ";

        var key = FlexTokenCache.KeyOf(token);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), key);
        Assert.Equal(64, key.Length);
        Assert.DoesNotContain(token[..12], key, StringComparison.Ordinal);
    }
}
