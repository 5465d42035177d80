using System.Net;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_Answers200()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
