using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Host.Api;

/// <summary>Which scope kind a route reads, and the name of the route value holding its id (none for the platform).</summary>
internal sealed record ScopeRoute(ScopeKind Kind, string Segment, string? IdParameter)
{
    public static readonly ScopeRoute Platform = new(ScopeKind.Platform, "", null);

    public static readonly ScopeRoute Queue = new(ScopeKind.Queue, "/queues/{taskQueueSid}", "taskQueueSid");

    public static readonly ScopeRoute Team = new(ScopeKind.Team, "/teams/{teamName}", "teamName");

    public static readonly ScopeRoute Worker = new(ScopeKind.Worker, "/workers/{workerSid}", "workerSid");

    /// <summary>The scope kind's name, <c>queue</c> for the queue routes.</summary>
    public string Noun => ScopeKinds.Name(Kind);

    public static readonly IReadOnlyList<ScopeRoute> All = [Platform, Queue, Team, Worker];
}

/// <summary>
/// The scope a read is about, taken from the route (<c>/api/platforms/{platformId}[/queues|teams|workers/{id}]</c>).
/// Handlers receive it as a parameter; the scope filter has already checked that it exists and may be read.
/// </summary>
public sealed record ApiScope(string PlatformId, ScopeKind Kind, string Id)
{
    public StatsKey Key => new(PlatformId, Kind, Id);

    public string KindName => ScopeKinds.Name(Kind);

    /// <summary>Minimal-API binding: the endpoint's <see cref="ScopeRoute"/> says which route value is the id.</summary>
    public static ValueTask<ApiScope?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context));

    internal static ApiScope? From(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<ScopeRoute>();
        if (route is null || context.GetRouteValue("platformId") is not string platformId)
        {
            return null;
        }

        if (route.IdParameter is null)
        {
            return new ApiScope(platformId, ScopeKind.Platform, platformId);
        }

        // The server decodes a path except "%2F", so a team named "Crisis/Night" arrives as "Crisis%2FNight".
        return context.GetRouteValue(route.IdParameter) is string id
            ? new ApiScope(platformId, route.Kind, id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase))
            : null;
    }
}

internal static class ScopeRouteExtensions
{
    /// <summary>
    /// Maps the same reads under every scope path (<c>P</c>, <c>P/queues/{taskQueueSid}</c>, <c>P/teams/{teamName}</c>,
    /// <c>P/workers/{workerSid}</c>), each group behind the <see cref="ScopeFilter"/>.
    /// </summary>
    public static void MapScopes(this IEndpointRouteBuilder endpoints, string tag, Action<RouteGroupBuilder, ScopeRoute> map)
    {
        // Kiosk tokens may ask (the filter then holds them to their one scope).
        var platform = endpoints.MapGroup("/api/platforms/{platformId}").WithTags(tag).RequireAuthorization(Access.AccessExtensions.ReaderPolicy);
        foreach (var route in ScopeRoute.All)
        {
            var group = platform.MapGroup(route.Segment)
                .WithMetadata(route)
                .AddEndpointFilter<ScopeFilter>()
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound);
            map(group, route);
        }
    }

    /// <summary><c>queue</c> → <c>Queue</c>, for endpoint names such as <c>GetQueueMetrics</c>.</summary>
    public static string Pascal(this ScopeRoute route) => char.ToUpperInvariant(route.Noun[0]) + route.Noun[1..];
}
