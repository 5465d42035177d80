namespace LifelineRealtime.Host.Pages;

/// <summary>The pages' routes (design §10), in one place for the pages, the access list and the tests.</summary>
public static class PageRoutes
{
    public const string Home = "/";

    /// <summary>Both platforms side by side, for people who lead both.</summary>
    public const string BothPlatforms = "/wallboard";

    public const string PlatformWallboard = "/wallboard/{platformId}";
    public const string TeamWallboard = "/wallboard/{platformId}/teams/{teamName}";
    public const string QueueWallboard = "/wallboard/{platformId}/queues/{taskQueueSid}";

    /// <summary>A team leader's view of one team: agents, counts and durations by support type, logged status, any window.</summary>
    public const string TeamView = "/teams/{platformId}/{teamName}";

    /// <summary>The same figures for one person, with their activity timeline for the day.</summary>
    public const string WorkerView = "/workers/{platformId}/{workerSid}";

    /// <summary>Reports over a date range by day, week or month: a table, charts and the API's CSV.</summary>
    public const string Reports = "/reports";

    /// <summary>What a browser that is not signed in is shown: the ways to sign in to this host.</summary>
    public const string SignIn = "/welcome";

    // Pages and actions of other parts of the product: the home page links to them once they are mapped.
    public const string SignOut = "/signout";
    public const string Conversations = "/conversations/{platformId}";

    /// <summary>One conversation: its record and, for a chat, its transcript read from Twilio.</summary>
    public const string Transcript = "/conversations/{platformId}/{taskSid}";
    public const string StuckTasks = "/tasks/{platformId}";

    public static IReadOnlyList<string> WallboardShells { get; } = [PlatformWallboard, TeamWallboard, QueueWallboard];

    /// <summary>Page routes that answer without sign-in: they hold no data (see <see cref="PagesExtensions"/>).</summary>
    public static IReadOnlyList<string> Anonymous { get; } = [.. WallboardShells, SignIn];
}
