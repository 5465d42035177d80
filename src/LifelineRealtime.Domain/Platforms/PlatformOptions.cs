namespace LifelineRealtime.Domain.Platforms;

/// <summary>
/// One Flex platform (a TaskRouter workspace), bound from <c>Lifeline:Platforms:N</c> (design §4).
/// Plain settable properties so the configuration binder can fill it; validation happens at start
/// and names every bad key.
/// </summary>
public sealed class PlatformOptions
{
    /// <summary>Short id used in URLs and grain keys: <c>ciss</c>, <c>digi</c>.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary><c>voice</c> or <c>chat</c>.</summary>
    public string Channel { get; set; } = "";

    public string AccountSid { get; set; } = "";

    public string WorkspaceSid { get; set; } = "";

    /// <summary>The account's auth token: signs every webhook. A secret: never log it.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>
    /// An API key (<c>SK…</c>) for TaskRouter's REST API (backfill, statistics, task fixes), with <see cref="ApiKeySecret"/>;
    /// unset: REST calls use <see cref="AccountSid"/> and <see cref="AuthToken"/>. The auth token always verifies webhooks.
    /// </summary>
    public string? ApiKeySid { get; set; }

    /// <summary>The secret of <see cref="ApiKeySid"/>. A secret: never log it.</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary>IANA zone for calendar buckets, e.g. <c>Australia/Sydney</c>.</summary>
    public string TimeZone { get; set; } = "Australia/Sydney";

    public List<string> SupportTypes { get; set; } = [];

    /// <summary>Tried in order; the first that yields a configured support type wins.</summary>
    public List<SupportTypeRuleOptions> SupportTypeRules { get; set; } = [];

    /// <summary>Dotted path of the team in worker attributes.</summary>
    public string TeamAttribute { get; set; } = "team_name";

    /// <summary>
    /// Task attribute paths that name the crisis supporter (the customer), tried in order; unset:
    /// <c>name</c>, <c>customers.name</c>, <c>from</c>. Personal information: shown only to roles allowed to see it.
    /// </summary>
    public List<string>? CustomerNameAttributes { get; set; }

    /// <summary>Activities that do not count as logged in; empty means just <c>Offline</c>. (Empty rather than
    /// pre-filled: the configuration binder appends to a list that already has items.)</summary>
    public List<string> OfflineActivities { get; set; } = [];

    /// <summary>
    /// Activities in which TaskRouter may offer the worker a task (TaskRouter's <c>available</c> activities);
    /// empty means just <c>Available</c>. Worker events name the activity but not its availability, so it is
    /// configured here (the stuck flag "pending while eligible workers are available" reads it).
    /// </summary>
    public List<string> AvailableActivities { get; set; } = [];

    /// <summary>Service-level threshold in seconds per support type; the key <c>default</c> is required.</summary>
    public Dictionary<string, double> ServiceLevelSeconds { get; set; } = [];

    public double ShortAbandonSeconds { get; set; } = 10;

    /// <summary>Wait after which an urgent task raises an alert, per support type.</summary>
    public Dictionary<string, double> UrgentWaitAlertSeconds { get; set; } = [];

    public StuckThresholdOptions StuckThresholds { get; set; } = new();

    /// <summary>Where the pages colour a figure near limit or over limit; the defaults are in <see cref="FigureThresholdOptions"/>.</summary>
    public FigureThresholdOptions Thresholds { get; set; } = new();
}

/// <summary>One support-type rule: exactly one of <see cref="Attribute"/> or <see cref="QueueNamePattern"/>.</summary>
public sealed class SupportTypeRuleOptions
{
    /// <summary>Dotted path in the task attributes, e.g. <c>supportType</c>.</summary>
    public string? Attribute { get; set; }

    /// <summary>A regular expression matched against the task queue's name, case-insensitively;
    /// its first capture group, lower-cased, is the support type.</summary>
    public string? QueueNamePattern { get; set; }
}

/// <summary>How long a task may sit in one status, or in one stuck condition, before it is reported as stuck.</summary>
public sealed class StuckThresholdOptions
{
    public TimeSpan Pending { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Reserved { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan Wrapping { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Pending while at least one worker eligible for its queue is available (and holds no task).</summary>
    public TimeSpan PendingWhileAvailable { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Assigned (a reservation accepted) while its worker has sent no event since.</summary>
    public TimeSpan AcceptedWithoutWorkerEvent { get; set; } = TimeSpan.FromMinutes(30);
}
