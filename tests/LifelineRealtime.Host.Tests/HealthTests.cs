using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LifelineRealtime.Host.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_Answers200()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
