using LifelineRealtime.Host.Access;
using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Api;

/// <summary>A platform as the API lists it: its settings readers need (the colour thresholds pages use among them), and the queues, teams and workers any event has named.</summary>
public sealed record PlatformInfo(
    string Id,
    string Name,
    string Channel,
    string TimeZone,
    ImmutableArray<string> SupportTypes,
    FigureThresholds Thresholds,
    ImmutableArray<string> Queues,
    ImmutableArray<string> Teams,
    ImmutableArray<string> Workers);

/// <summary><c>GET /api/platforms</c>: the platforms the caller may see (design §7).</summary>
public static class PlatformsApi
{
    public static IEndpointRouteBuilder MapPlatformsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/platforms", GetPlatforms)
            .RequireAuthorization(AccessExtensions.ReaderPolicy)
            .WithTags("Platforms")
            .WithName("GetPlatforms")
            .WithSummary("The platforms the caller may see, with their support types, the colour thresholds of their figures, and the queues (TaskQueueSids), teams and workers (WorkerSids) any event has named so far.")
            .Produces<ImmutableArray<PlatformInfo>>(StatusCodes.Status200OK);
        return endpoints;
    }

    public static async Task<JsonHttpResult<ImmutableArray<PlatformInfo>>> GetPlatforms(
        HttpContext context, PlatformCatalog catalog, IScopeAccess access, IGrainFactory grains)
    {
        var visible = new List<PlatformSettings>();
        foreach (var platform in catalog.All)
        {
            if (await access.CanSeePlatformAsync(context.User, platform.Id, context.RequestAborted))
            {
                visible.Add(platform);
            }
        }

        var platforms = await Task.WhenAll(visible.Select(async p =>
        {
            var scopes = await grains.GetGrain<IScopeDirectoryGrain>(p.Id).GetAsync();
            return new PlatformInfo(
                p.Id, p.Options.Name, p.Options.Channel, p.TimeZoneName, [.. p.ConfiguredSupportTypes], p.Thresholds,
                await ReadableAsync(p.Id, ScopeKind.Queue, scopes.Queues),
                await ReadableAsync(p.Id, ScopeKind.Team, scopes.Teams),
                await ReadableAsync(p.Id, ScopeKind.Worker, scopes.Workers));
        }));
        return TypedResults.Json(platforms.ToImmutableArray(), LifelineJson.Options);

        // Only the ids the caller may read: a refused caller learns nothing about which others exist.
        async Task<ImmutableArray<string>> ReadableAsync(string platformId, ScopeKind kind, ImmutableArray<string> ids)
        {
            var readable = ImmutableArray.CreateBuilder<string>(ids.Length);
            foreach (var id in ids)
            {
                if (await access.CanReadAsync(context.User, new StatsKey(platformId, kind, id), context.RequestAborted))
                {
                    readable.Add(id);
                }
            }

            return readable.ToImmutable();
        }
    }
}
