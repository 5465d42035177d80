using LifelineRealtime.Host.Access;
using System.Net;
using System.Security.Claims;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>The access seam: a policy registered in place of the shipped one governs every read without touching handlers.</summary>
public sealed class ScopeAccessTests
{
    [Fact]
    public async Task Reads_PolicyRefusingDigi_AnswerAsIfItDidNotExistAndHideItFromThePlatformList()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new LifelineHostFactory(services: s => s.AddSingleton<IScopeAccess>(new OnlyPlatform("ciss")));
        using var client = factory.CreateClient();

        using var metrics = await client.GetAsync("/api/platforms/digi/teams/Anything/metrics", ct);
        using var allowed = await client.GetAsync("/api/platforms/ciss/metrics?window=day:2026-11-24", ct);
        var platforms = await client.GetStringAsync("/api/platforms", ct);

        // A platform not granted does not exist for the caller (design §8).
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (metrics.StatusCode, metrics.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("""[{"id":"ciss","name":"CISS Central","channel":"voice","timeZone":"Australia/Sydney","supportTypes":["check_in","check_out","debrief","imminent","safety","support"],"thresholds":{"serviceLevel":{"higherIsBetter":true,"warn":0.8,"bad":0.6},"abandonRate":{"higherIsBetter":false,"warn":0.05,"bad":0.1},"rejectRate":{"higherIsBetter":false,"warn":0.1,"bad":0.2},"timeoutRate":{"higherIsBetter":false,"warn":0.05,"bad":0.1},"transferRate":{"higherIsBetter":false,"warn":0.15,"bad":0.3},"avgWait":{"higherIsBetter":false,"warn":60,"bad":120},"longestWait":{"higherIsBetter":false,"warn":60,"bad":120},"longestWaitBySupportType":{"imminent":{"higherIsBetter":false,"warn":15,"bad":30},"safety":{"higherIsBetter":false,"warn":30,"bad":60}}},"queues":[],"teams":[],"workers":[]}]""", platforms);
    }

    private sealed class OnlyPlatform(string platformId) : IScopeAccess
    {
        public ValueTask<bool> CanSeePlatformAsync(ClaimsPrincipal user, string platform, CancellationToken cancellationToken) => ValueTask.FromResult(platform == platformId);

        public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, LifelineRealtime.Abstractions.Keys.StatsKey scope, CancellationToken cancellationToken) => ValueTask.FromResult(scope.PlatformId == platformId);

        public ConversationGrant Conversations(ClaimsPrincipal user, string platform) => platform == platformId ? ConversationGrant.Everything : ConversationGrant.None;
    }
}
