using LifelineRealtime.Host.Access;
using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Api;

/// <summary>A platform as the API lists it: its settings readers need, and the queues and teams it has seen.</summary>
public sealed record PlatformInfo(
    string Id,
    string Name,
    string Channel,
    string TimeZone,
    ImmutableArray<string> SupportTypes,
    ImmutableArray<string> Queues,
    ImmutableArray<string> Teams);

/// <summary><c>GET /api/platforms</c>: the platforms the caller may see (design §7).</summary>
public static class PlatformsApi
{
    public static IEndpointRouteBuilder MapPlatformsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/platforms", GetPlatforms)
            .WithTags("Platforms")
            .WithName("GetPlatforms")
            .WithSummary("The platforms the caller may see, with their support types and the queues (TaskQueueSids) and teams seen so far.")
            .Produces<ImmutableArray<PlatformInfo>>(StatusCodes.Status200OK);
        return endpoints;
    }

    public static async Task<JsonHttpResult<ImmutableArray<PlatformInfo>>> GetPlatforms(
        HttpContext context, IOptions<LifelineOptions> options, IScopeAccess access, IGrainFactory grains)
    {
        var visible = new List<PlatformOptions>();
        foreach (var platform in options.Value.Platforms)
        {
            if (await access.CanSeePlatformAsync(context.User, platform.Id, context.RequestAborted))
            {
                visible.Add(platform);
            }
        }

        var platforms = await Task.WhenAll(visible.Select(async p =>
        {
            var scopes = await grains.GetGrain<IScopeDirectoryGrain>(p.Id).GetAsync();
            return new PlatformInfo(p.Id, p.Name, p.Channel, p.TimeZone, [.. p.SupportTypes], scopes.Queues, scopes.Teams);
        }));
        return TypedResults.Json(platforms.ToImmutableArray(), LifelineJson.Options);
    }
}
