namespace LifelineRealtime.Simulator;

/// <summary>
/// Settings under <c>Lifeline:Simulator</c>, plus the platform facts the simulator needs, bound from
/// <c>Lifeline:Platforms</c> into <see cref="Platforms"/>. Probabilities are per task or per offer.
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Lifeline:Simulator";
    public const string PlatformsSectionName = "Lifeline:Platforms";

    /// <summary>Off unless set (or <c>--simulator</c> on the command line).</summary>
    public bool Enabled { get; set; }

    public long Seed { get; set; } = 42;

    /// <summary>Simulated seconds per real second: 1 is real time, 1440 is a day in a minute.</summary>
    public double Speed { get; set; } = 1.0;

    /// <summary>First simulated instant; the host's current time when not set.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>How long arrivals and shifts run; tasks still open at the end are played out.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromDays(1);

    // The defaults are the demo's: a well-run crisis line (service level mostly 80–95 %, a few urgent
    // waits past their alert each hour, an evening peak). DefaultDemoTests holds them to that.

    /// <summary>Workers per platform; their 8-hour shifts follow the daily rhythm of arrivals.</summary>
    public int Workers { get; set; } = 54;

    /// <summary>Teams per platform (workers are dealt round-robin).</summary>
    public int Teams { get; set; } = 6;

    /// <summary>Task arrivals per hour per platform at the busiest hour of the day (the evening).</summary>
    public double PeakArrivalsPerHour { get; set; } = 80;

    /// <summary>Relative arrival weight per support type; types not listed weigh 0.1.</summary>
    public Dictionary<string, double> SupportTypeWeights { get; set; } = new(StringComparer.Ordinal)
    {
        ["check_in"] = 0.14,
        ["check_out"] = 0.12,
        ["debrief"] = 0.10,
        ["imminent"] = 0.04,
        ["safety"] = 0.06,
        ["support"] = 0.46,
        ["technical_support"] = 0.10,
    };

    /// <summary>The workflow's reservation timeout (RONA after it).</summary>
    public int ReservationTimeoutSeconds { get; set; } = 30;

    /// <summary>Concurrent tasks a chat worker can hold; voice is always 1.</summary>
    public int ChatCapacity { get; set; } = 2;

    public double RejectProbability { get; set; } = 0.05;

    public double TimeoutProbability { get; set; } = 0.04;

    public double TransferProbability { get; set; } = 0.06;

    public double NoWrapUpProbability { get; set; } = 0.10;

    /// <summary>Share of tasks left in wrap-up far past the usual (20–60 minutes).</summary>
    public double StuckProbability { get; set; } = 0.01;

    /// <summary>Share of arrivals that hang up or leave within seconds.</summary>
    public double ShortAbandonProbability { get; set; } = 0.05;

    /// <summary>Stop after this many events (0 = no limit).</summary>
    public int MaxEvents { get; set; }

    /// <summary>Post to this base URL instead of the host's own listening address.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Where the run's position is kept so a restart continues it (<see cref="Hosting.SimulatorRun"/>); the host
    /// keeps it beside the journal. Not used with <see cref="Start"/> or <see cref="ReplayFile"/> set, whose runs
    /// are fixed; null: every start begins a new run.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>Replay this NDJSON file instead of generating.</summary>
    public string? ReplayFile { get; set; }

    /// <summary>From <c>Lifeline:Platforms</c>.</summary>
    public List<SimulatorPlatformOptions> Platforms { get; set; } = [];
}

/// <summary>The minimal facts of one platform (a subset of <c>Lifeline:Platforms:N</c>).</summary>
public sealed class SimulatorPlatformOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary><c>voice</c> or <c>chat</c>.</summary>
    public string Channel { get; set; } = "";

    public string AccountSid { get; set; } = "";

    public string WorkspaceSid { get; set; } = "";

    /// <summary>Signs the simulator's posts. A secret: never logged.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>IANA zone of the platform: the daily rhythm and shifts follow its local clock.</summary>
    public string TimeZone { get; set; } = "Australia/Sydney";

    public List<string> SupportTypes { get; set; } = [];
}
