using LifelineRealtime.Grains;
using LifelineRealtime.Grains.Persistence;
using LifelineRealtime.Simulator;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host;

/// <summary>
/// Once the server listens, one log entry says what a newcomer needs next: where the API, the OpenAPI
/// document, the status page and the wallboard hub are, where the data lives, what the simulator does, and how to sign in.
/// </summary>
public sealed partial class StartupSummary(
    IHostApplicationLifetime lifetime,
    IServer server,
    SqliteEventJournal journal,
    IOptionsMonitor<SqliteGrainStorageOptions> grainStorage,
    IOptions<SimulatorOptions> simulator,
    IOptions<Access.AuthOptions> auth,
    Access.LocalSignIn localSignIn,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Write);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Write()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var root = addresses.FirstOrDefault()?.Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/') ?? "";
        var listening = addresses.Count == 0 ? "an in-process server" : string.Join(", ", addresses);
        var platform = simulator.Value.Platforms.FirstOrDefault()?.Id ?? "{platformId}";
        var simulating = simulator.Value.Enabled
            ? $"on: signed TaskRouter traffic for {simulator.Value.Platforms.Count} platform(s) (seed {simulator.Value.Seed}, speed {simulator.Value.Speed}x); a restart continues its run, kept in {simulator.Value.StatePath}"
            : "off (--simulator or Lifeline:Simulator:Enabled=true turns it on)";
        var grainStatePath = grainStorage.Get(OrleansNames.StateStorage).Path;
        var signIn = SignIn(root);
        Log.Ready(logger, listening, root, platform, journal.Path, grainStatePath, simulating, signIn);
    }

    /// <summary>How people sign in to this start; with the local demo link, the link itself (one use).</summary>
    private string SignIn(string root)
    {
        var configured = auth.Value;
        if (localSignIn.Link is { } link)
        {
            return $"open {root}{link} in a browser (one use; signs that browser in as a demo admin; a restart makes a new link)";
        }

        if (configured.IsOpen)
        {
            return "none: Lifeline:Auth:Mode is Open, every read is served without sign-in";
        }

        return configured.HasAuthority
            ? $"bearer tokens from {configured.Authority} (audience {configured.Audience}){(configured.HasBrowserSignIn ? $"; browsers sign in at {root}/signin" : "")}"
            : $"bearer tokens signed with Lifeline:Auth:SigningKey (issuer {configured.Issuer}, audience {configured.Audience})";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = """
            LifelineRealtime is listening on {Addresses}.
              Status:       {Root}/status   (readiness: {Root}/readyz)
              Metrics API:  {Root}/api/platforms, {Root}/api/platforms/{Platform}/metrics?window=today, {Root}/api/platforms/{Platform}/live
              API document: {Root}/openapi/v1.json
              Pages:        {Root}/ (home), {Root}/wallboard (both platforms), {Root}/wallboard/{Platform} (TV)
              Wallboards:   SignalR hub {Root}/hubs/wallboard
              Data:         journal {JournalPath}, grain state {GrainStatePath}
              Simulator:    {Simulator}
              Sign-in:      {SignIn}
            """)]
        public static partial void Ready(ILogger logger, string addresses, string root, string platform, string journalPath, string grainStatePath, string simulator, string signIn);
    }
}
