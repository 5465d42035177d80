using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Host.Options;

/// <summary>The <c>Lifeline</c> configuration section (design §4). Validated at start by <see cref="LifelineOptionsValidator"/>.</summary>
public sealed class LifelineOptions
{
    public const string SectionName = "Lifeline";

    public List<PlatformOptions> Platforms { get; set; } = [];

    public IngestOptions Ingest { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public HealthOptions Health { get; set; } = new();
}

/// <summary><c>Lifeline:Ingest</c>: how webhooks are received.</summary>
public sealed class IngestOptions
{
    /// <summary>Largest webhook body accepted; a larger one is answered 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The public URL of this application's root as Twilio calls it (e.g. <c>https://lifeline.example.org</c>).
    /// Twilio signs the URL it called, so behind an ingress the request's own URL would not verify. When set it
    /// wins over forwarded headers.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-Proto</c>, <c>-Host</c> and
    /// <c>-Prefix</c> headers are believed. Empty: forwarded headers are ignored.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// The earliest event time a real event can carry; an event (or its task's creation time) before it is
    /// answered 400 and never journaled. TaskRouter did not exist before 2010.
    /// </summary>
    public DateTimeOffset EarliestEventTime { get; set; } = Domain.TaskRouter.EventTimeWindow.DefaultNotBefore;

    /// <summary>How far past this host's clock an event time may be; a later one is answered 400.</summary>
    public TimeSpan MaxEventTimeAhead { get; set; } = EventTimeWindow.DefaultMaxAhead;

    /// <summary>The window <see cref="EarliestEventTime"/> and <see cref="MaxEventTimeAhead"/> describe.</summary>
    public EventTimeWindow ToEventTimeWindow() => new(EarliestEventTime.ToUnixTimeMilliseconds(), MaxEventTimeAhead);
}

/// <summary><c>Lifeline:Storage</c>: where the journal lives.</summary>
public sealed class StorageOptions
{
    public const string SqliteProvider = "Sqlite";

    /// <summary><c>Sqlite</c>, the only journal provider (embedded mode); any other value is refused at start.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The SQLite file; relative paths are under the content root.</summary>
    public string Path { get; set; } = "data/lifeline.db";

    /// <summary>The grain-state file; by default beside the journal (<c>lifeline-grains.db</c>).</summary>
    public string? GrainStatePath { get; set; }

    /// <summary>The journal's full path: a relative <see cref="Path"/> is under <paramref name="contentRoot"/>.</summary>
    public string JournalPath(string contentRoot) => System.IO.Path.Combine(contentRoot, Path);

    /// <summary>A file beside the journal named after it: <c>data/lifeline.db</c> and <c>-grains.db</c> give <c>data/lifeline-grains.db</c>.</summary>
    public string BesideJournal(string contentRoot, string suffix)
    {
        var journal = JournalPath(contentRoot);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(journal) ?? "", System.IO.Path.GetFileNameWithoutExtension(journal) + suffix);
    }

    /// <summary><c>Full</c> (fsync each commit; survives power loss) or <c>Normal</c> (survives a process kill only).</summary>
    public string Durability { get; set; } = "Full";

    /// <summary>
    /// How long a journal write waits for a lock another process holds on the file (say <c>sqlite3</c> in a
    /// transaction) before the webhook is answered 503 and Twilio retries. Whole seconds, 1 to 4: Event
    /// Streams gives a sink 5 s to answer.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary><c>Lifeline:Health</c>: when the readiness check (<c>/readyz</c>) says the engine is not ready.</summary>
public sealed class HealthOptions
{
    /// <summary>
    /// Committed journal records not yet delivered to the grains (journal head sequence minus dispatched
    /// sequence) above which the engine is not ready: its metrics are that far behind the journal. A count,
    /// not a time, because it is exact and free to read; at the dispatch rates measured on a 2-core machine
    /// (5,000 to 10,000 records a second) the default is one to two seconds of work: it is meant to trip
    /// when dispatch is stuck or far behind, not on a burst.
    /// </summary>
    public long MaxDispatchLag { get; set; } = 10_000;
}
