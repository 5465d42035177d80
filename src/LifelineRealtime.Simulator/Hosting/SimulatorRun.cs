using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LifelineRealtime.Simulator.Hosting;

/// <summary>
/// Where a generated run stands, kept in <see cref="SimulatorOptions.StatePath"/> so that a restarted host
/// continues the run instead of beginning another: the same seed and start give the same tasks, the events
/// already posted are skipped, and those whose time came while the host was down are posted at once (as
/// Twilio delivers after an outage). Tasks that were open when the host stopped so finish as simulated,
/// rather than staying open forever under Sids no later event names.
/// </summary>
/// <param name="Fingerprint">The settings that shape the traffic; a run continues only under the same ones.</param>
/// <param name="Start">The run's first simulated instant.</param>
/// <param name="RealStart">The wall-clock instant the run's <paramref name="Start"/> was paced from.</param>
/// <param name="LastPostedMs">Event time of the last event posted; later ones (and those at that instant) are sent.</param>
public sealed record SimulatorRun(string Fingerprint, DateTimeOffset Start, DateTimeOffset RealStart, long LastPostedMs)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// The run to continue at <paramref name="now"/>: the saved one when it was made under the same settings and
    /// its arrivals have not ended yet, else a new run: starting now, or, faster than real time, one Duration ago.
    /// </summary>
    public static SimulatorRun ContinueOrBegin(SimulatorRun? saved, SimulatorOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fingerprint = FingerprintOf(options);
        if (saved is not null && saved.Fingerprint == fingerprint && saved.Start <= now && now < saved.RealStart + options.Duration / options.Speed)
        {
            return saved;
        }

        // Faster than real time, a run plays the Duration that ends now, so no event is ever dated after the host's
        // clock (ingest refuses event times ahead of it): a day a minute replays the last day in a minute.
        var start = options.Speed > 1 ? now - options.Duration : now;
        return new SimulatorRun(fingerprint, start, now, start.ToUnixTimeMilliseconds());
    }

    /// <summary>True when this run began before now and has been posted up to <see cref="LastPostedMs"/>.</summary>
    public bool IsContinued(DateTimeOffset now) => RealStart < now;

    /// <summary>Wall-clock time the run has been going, which the pacer starts from.</summary>
    public TimeSpan Elapsed(DateTimeOffset now) => now - RealStart;

    /// <summary>The saved run, or null when there is none or it cannot be read (a new run begins then).</summary>
    public static SimulatorRun? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SimulatorRun>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes aside, then replaces: a kill mid-write leaves the previous state whole.</summary>
    public void Save(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var aside = path + ".tmp";
        File.WriteAllText(aside, JsonSerializer.Serialize(this, Json));
        if (!OperatingSystem.IsWindows())
        {
            // Owner only, like the journal beside it.
            File.SetUnixFileMode(aside, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(aside, path, overwrite: true);
    }

    /// <summary>
    /// A digest of every setting that shapes the generated traffic (no secrets: the platforms' tokens sign the
    /// posts, they do not change them).
    /// </summary>
    public static string FingerprintOf(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        void Add(string name, object? value) => text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        Add("seed", options.Seed);
        Add("speed", options.Speed);
        Add("duration", options.Duration);
        Add("workers", options.Workers);
        Add("teams", options.Teams);
        Add("peak", options.PeakArrivalsPerHour);
        foreach (var (type, weight) in options.SupportTypeWeights.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Add("weight:" + type, weight);
        }

        Add("timeout", options.ReservationTimeoutSeconds);
        Add("chat", options.ChatCapacity);
        Add("reject", options.RejectProbability);
        Add("rona", options.TimeoutProbability);
        Add("transfer", options.TransferProbability);
        Add("nowrap", options.NoWrapUpProbability);
        Add("stuck", options.StuckProbability);
        Add("short", options.ShortAbandonProbability);
        foreach (var p in options.Platforms)
        {
            Add("platform", string.Join('|', p.Id, p.Name, p.Channel, p.AccountSid, p.WorkspaceSid, p.TimeZone, string.Join(',', p.SupportTypes)));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
