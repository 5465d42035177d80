using System.Net;
using System.Net.Http.Headers;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>The Orleans Dashboard, when turned on, is for admins only; off (the default) it is not there at all.</summary>
public sealed class OrleansDashboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_On_ServedToAdminsOnly()
    {
        await using var factory = new LifelineHostFactory(s => s["Lifeline:Orleans:Dashboard"] = "true");
        using var client = factory.CreateClient();

        using (var page = await client.GetAsync(new Uri("/admin/orleans/", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        using (var counters = await client.GetAsync(new Uri("/admin/orleans/DashboardCounters", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
            Assert.Equal("application/json", counters.Content.Headers.ContentType?.MediaType);
        }

        foreach (var role in new[] { Roles.FullAccess, Roles.TeamLeader, Roles.DataAnalyst })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue([role], ["digi", "ciss"], ["Team 1"]));
            using var refused = await client.GetAsync(new Uri("/admin/orleans/DashboardCounters", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        client.DefaultRequestHeaders.Authorization = null;
        using var anonymous = await client.GetAsync(new Uri("/admin/orleans/DashboardCounters", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Dashboard_Off_IsNotServed()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        using var counters = await client.GetAsync(new Uri("/admin/orleans/DashboardCounters", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, counters.StatusCode);
    }
}
