using System.Net;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Access;

/// <summary>
/// Every route the host maps, asked without credentials: only <see cref="AccessExtensions.AnonymousPaths"/> may
/// answer anything but 401. A route added later without thought about access fails here.
/// </summary>
public sealed partial class OpenEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryMappedRoute_WithoutSignIn_Is401UnlessListedAnonymous()
    {
        await using var factory = new LifelineHostFactory();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var asked = new List<string>();
        var open = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            var anonymous = AccessExtensions.AnonymousPaths.Contains(pattern);
            if (anonymous != (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null))
            {
                open.Add($"{pattern}: {(anonymous ? "listed anonymous but requires sign-in" : "allows anonymous but is not listed")}");
            }

            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Sample(pattern), UriKind.Relative));
                using var response = await client.SendAsync(request, Ct);
                asked.Add($"{method} {pattern}");
                if (!anonymous && response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    open.Add($"{method} {pattern} answered {(int)response.StatusCode} without sign-in");
                }
            }
        }

        Assert.True(open.Count == 0, string.Join("\n", open.Concat(asked)));

        // The enumeration saw the surfaces that matter (a filter that matched nothing would pass vacuously).
        Assert.Contains("GET /api/platforms/{platformId}/teams/{teamName}/metrics", asked);
        Assert.Contains("POST /hubs/wallboard/negotiate", asked);
        Assert.Contains("GET /openapi/{documentName}.json", asked);
        Assert.Contains("DELETE /api/admin/kiosk-tokens/{id}", asked);
        Assert.True(asked.Count >= 25, $"only {asked.Count} routes asked");
    }

    /// <summary>The pattern with a plausible value in each parameter.</summary>
    private static string Sample(string pattern) => Parameter().Replace(pattern, m => m.Groups[1].Value switch
    {
        "platformId" => "digi",
        "teamName" => "Team%20A",
        "taskQueueSid" => "WQ000000000000000000000000000d1001",
        "workerSid" => "WK000000000000000000000000000b1a6e",
        "documentName" => "v1",
        _ => "x",
    });

    [GeneratedRegex(@"\{\*?([A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();
}
