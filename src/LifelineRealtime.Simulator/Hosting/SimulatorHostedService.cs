using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Simulator.Hosting;

/// <summary>
/// Posts simulated (or replayed) TaskRouter callbacks, signed like Twilio signs them, to
/// <c>POST {base}/webhooks/taskrouter/{platformId}</c>, paced by the <see cref="TimeProvider"/> at
/// <see cref="SimulatorOptions.Speed"/>. It waits until the host is listening, posts one event at a
/// time (so per-task order holds) and retries a failed post with backoff.
/// </summary>
public sealed class SimulatorHostedService(
    IOptions<SimulatorOptions> options,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IHttpClientFactory httpClientFactory,
    SimulatorMetrics metrics,
    TimeProvider timeProvider,
    IConfiguration configuration,
    ILogger<SimulatorHostedService> logger) : BackgroundService
{
    public const string HttpClientName = "LifelineSimulator";
    private const int MaxAttempts = 4;

    /// <summary>Completes when the run has ended (all events posted, the limit reached, or stopped).</summary>
    public Task Completion => _completion.Task;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var settings = options.Value;
            if (!settings.Enabled)
            {
                return;
            }

            await WaitForStartAsync(stoppingToken);
            var baseUrl = settings.BaseUrl is { Length: > 0 } configured ? configured : ListeningAddress();
            if (baseUrl is null)
            {
                SimulatorLog.NoAddress(logger);
                return;
            }

            // The host verifies against its public URL when one is configured, so sign that one.
            var signingBase = configuration["Lifeline:Ingest:PublicBaseUrl"] is { Length: > 0 } publicBase ? publicBase : baseUrl;
            await RunAsync(settings, baseUrl.TrimEnd('/'), signingBase.TrimEnd('/'), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task RunAsync(SimulatorOptions settings, string baseUrl, string signingBase, CancellationToken cancellationToken)
    {
        var tokens = settings.Platforms.ToDictionary(p => p.Id, p => p.AuthToken, StringComparer.Ordinal);
        IAsyncEnumerable<SimulatedEvent> events;
        var pacer = new SimulationPacer(timeProvider, settings.Speed);
        RunPosition? position = null;
        var skipBeforeMs = long.MinValue;
        if (settings.ReplayFile is { Length: > 0 } file)
        {
            var fileName = Path.GetFileName(file);
            SimulatorLog.Replaying(logger, fileName, baseUrl);
            events = SimulationFile.ReadAsync(file, cancellationToken);
        }
        else
        {
            DateTimeOffset start;
            if (settings.Start is { } fixedStart)
            {
                start = fixedStart;
                pacer.Start(start.ToUnixTimeMilliseconds());
            }
            else
            {
                var now = timeProvider.GetUtcNow();
                var saved = settings.StatePath is { Length: > 0 } statePath ? SimulatorRun.Load(statePath) : null;
                var run = SimulatorRun.ContinueOrBegin(saved, settings, now);
                start = run.Start;
                pacer.Start(start.ToUnixTimeMilliseconds(), run.Elapsed(now));
                if (run.IsContinued(now))
                {
                    skipBeforeMs = run.LastPostedMs;
                    var simulatedNowMs = start.ToUnixTimeMilliseconds() + run.Elapsed(now).TotalMilliseconds * settings.Speed;
                    var behindMinutes = Math.Max(0, simulatedNowMs - run.LastPostedMs) / 60_000;
                    SimulatorLog.Continuing(logger, start, behindMinutes);
                }

                if (settings.StatePath is { Length: > 0 } path)
                {
                    position = new RunPosition(path, run, timeProvider, logger);
                    position.Save();
                }
            }

            var simulation = new TrafficSimulation(settings, start);
            SimulatorLog.Starting(logger, baseUrl, settings.Platforms.Count, settings.Seed, settings.Speed);
            events = ToAsync(simulation.Events(), cancellationToken);
        }

        var client = httpClientFactory.CreateClient(HttpClientName);
        long sent = 0;
        long failed = 0;
        try
        {
            await foreach (var e in events.WithCancellation(cancellationToken))
            {
                if (e.TimestampMs < skipBeforeMs)
                {
                    continue;
                }

                if (settings.MaxEvents > 0 && sent + failed >= settings.MaxEvents)
                {
                    break;
                }

                await pacer.WaitForAsync(e.TimestampMs, cancellationToken);

                if (!tokens.TryGetValue(e.PlatformId, out var token))
                {
                    failed++;
                    metrics.Failed(e.PlatformId);
                    continue;
                }

                if (await PostAsync(client, baseUrl, signingBase, token, e, cancellationToken))
                {
                    sent++;
                    metrics.Sent(e.PlatformId);
                }
                else
                {
                    failed++;
                    metrics.Failed(e.PlatformId);
                }

                position?.Posted(e.TimestampMs);
            }
        }
        finally
        {
            position?.Save();
        }

        SimulatorLog.Finished(logger, sent, failed);
    }

    /// <summary>The run's position on disk, saved at most once a second while posting and once at the end.</summary>
    private sealed class RunPosition(string path, SimulatorRun run, TimeProvider timeProvider, ILogger logger)
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
        private SimulatorRun _run = run;
        private long _savedAt = timeProvider.GetTimestamp();
        private bool _warned;

        public void Posted(long timestampMs)
        {
            _run = _run with { LastPostedMs = timestampMs };
            if (timeProvider.GetElapsedTime(_savedAt) >= Interval)
            {
                Save();
            }
        }

        public void Save()
        {
            _savedAt = timeProvider.GetTimestamp();
            try
            {
                _run.Save(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!_warned)
                {
                    _warned = true;
                    SimulatorLog.StateNotSaved(logger, path, e.Message);
                }
            }
        }
    }

    private async Task<bool> PostAsync(HttpClient client, string baseUrl, string signingBase, string authToken, SimulatedEvent e, CancellationToken cancellationToken)
    {
        var path = $"/webhooks/taskrouter/{Uri.EscapeDataString(e.PlatformId)}";
        var signature = TwilioSignature.ComputeForForm(authToken, signingBase + path, e.Form);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            string reason;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl + path));
                request.Content = new StringContent(e.Form, Encoding.UTF8, "application/x-www-form-urlencoded");
                request.Headers.Add("X-Twilio-Signature", signature);
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                reason = $"HTTP {(int)response.StatusCode}";

                // A 4xx other than 408/429 will not change on retry.
                if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    SimulatorLog.PostFailed(logger, e.PlatformId, attempt, MaxAttempts, reason);
                    break;
                }
            }
            catch (HttpRequestException ex)
            {
                reason = ex.HttpRequestError.ToString();
            }

            SimulatorLog.PostFailed(logger, e.PlatformId, attempt, MaxAttempts, reason);
            if (attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << (attempt - 1))), timeProvider, cancellationToken);
            }
        }

        SimulatorLog.GaveUp(logger, e.PlatformId, MaxAttempts);
        return false;
    }

    private async Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = cancellationToken.Register(() => started.TrySetCanceled(cancellationToken));
        await started.Task;
    }

    /// <summary>The server's own address, http preferred, wildcard hosts turned into loopback.</summary>
    private string? ListeningAddress()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return null;
        }

        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        return address
            .Replace("://+:", "://localhost:", StringComparison.Ordinal)
            .Replace("://*:", "://localhost:", StringComparison.Ordinal)
            .Replace("://[::]:", "://localhost:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal);
    }

    private static async IAsyncEnumerable<SimulatedEvent> ToAsync(IEnumerable<SimulatedEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask;
    }
}
