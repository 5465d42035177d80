using System.Globalization;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LifelineRealtime.Host.Health;

/// <summary>Unhealthy while the journal cannot commit: every webhook would be answered 503.</summary>
internal sealed class JournalHealthCheck(EngineReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = readiness.Journal.Health;
        var data = new Dictionary<string, object>
        {
            ["state"] = JournalStatus.StateName(health.State),
            ["since"] = health.Since,
        };
        if (health.IsWritable)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The journal commits appends.", data));
        }

        data["failedAttempts"] = health.FailedAttempts;
        if (health.NextAttemptAt is { } next)
        {
            data["nextAttemptAt"] = next;
        }

        return Task.FromResult(HealthCheckResult.Unhealthy(
            string.Create(CultureInfo.InvariantCulture, $"The journal cannot commit since {health.Since:O}: {health.LastError}"),
            data: data));
    }
}

/// <summary>Unhealthy while more committed records wait for the grains than <c>Lifeline:Health:MaxDispatchLag</c>.</summary>
internal sealed class DispatchLagHealthCheck(EngineReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Read the dispatched sequence first: the journal only grows, so the lag is never understated.
        var dispatched = readiness.DispatchedSequence;
        var journaled = readiness.JournalSequence;
        var lag = EngineReadiness.Lag(journaled, dispatched);
        var data = new Dictionary<string, object>
        {
            ["journalSequence"] = journaled,
            ["dispatchedSequence"] = dispatched,
            ["lag"] = lag,
            ["maxDispatchLag"] = readiness.MaxDispatchLag,
        };
        if (dispatched < 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded("The dispatcher is starting (reading its checkpoint).", data: data));
        }

        return Task.FromResult(readiness.DispatchReady(journaled, dispatched)
            ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"Dispatch lag {lag} records."), data)
            : HealthCheckResult.Unhealthy(
                string.Create(CultureInfo.InvariantCulture, $"Dispatch lag {lag} records is over Lifeline:Health:MaxDispatchLag ({readiness.MaxDispatchLag})."),
                data: data));
    }
}

/// <summary>The journal's state as <c>/status</c> shows it.</summary>
/// <param name="State"><c>writable</c> or <c>failing</c>.</param>
/// <param name="Since">When it entered that state.</param>
/// <param name="LastError">The last failure's message (kept after recovery), or null.</param>
/// <param name="LastErrorAt">When the last failure happened.</param>
/// <param name="FailedAttempts">Opens and commits failed in a row; 0 while writable.</param>
/// <param name="NextAttemptAt">While failing, when the journal next tries to open.</param>
public sealed record JournalStatus(string State, DateTimeOffset Since, string? LastError, DateTimeOffset? LastErrorAt, int FailedAttempts, DateTimeOffset? NextAttemptAt)
{
    public static JournalStatus From(JournalHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return new JournalStatus(StateName(health.State), health.Since, health.LastError, health.LastErrorAt, health.FailedAttempts, health.NextAttemptAt);
    }

    internal static string StateName(JournalState state) => state == JournalState.Writable ? "writable" : "failing";
}

/// <summary>
/// Unhealthy until the co-hosted silo is active (joining the cluster, or shutting down, it places no grains), so a
/// pod takes traffic only once its grains can answer.
/// </summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = silo.CurrentStatus;
        var data = new Dictionary<string, object> { ["status"] = status.ToString(), ["silo"] = silo.SiloName };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is active.", data)
            : HealthCheckResult.Unhealthy($"The silo is {status}, not active.", data: data));
    }
}
