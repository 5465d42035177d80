using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Telemetry;

/// <summary>How OTLP is sent: gRPC (port 4317 by convention) or HTTP with protobuf bodies (port 4318).</summary>
public enum OtlpProtocol
{
    Grpc,
    HttpProtobuf,
}

/// <summary>
/// <c>Lifeline:Telemetry</c>: where the engine's meters and traces go (docs/operations.md §Telemetry). With an OTLP
/// endpoint (here or in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) they are pushed there; without one, the meters are
/// served for Prometheus to scrape at <c>/metrics</c>.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Lifeline:Telemetry";

    /// <summary>The standard variable the OpenTelemetry SDK reads when no endpoint is configured here.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OTLP collector, e.g. <c>http://otel-collector:4317</c>; null: none (unless the standard variable names one).</summary>
    public Uri? OtlpEndpoint { get; set; }

    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>
    /// A port of its own for <c>/metrics</c> (and the health probes), e.g. 9464: the engine also listens there, and
    /// answers nothing else on it, anonymously, so a Prometheus inside the cluster can scrape a port the Ingress never
    /// routes. Null: <c>/metrics</c> is on the main port for a signed-in admin only.
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>How often meters are pushed over OTLP, and the longest a finished span waits to be sent.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The service name in every metric's and span's resource (<c>service.name</c>).</summary>
    public string ServiceName { get; set; } = "lifeline-realtime";

    /// <summary>True when OTLP is configured here or by the standard variable.</summary>
    public bool UsesOtlp => OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));

    internal sealed class Validator : IValidateOptions<TelemetryOptions>
    {
        public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
        {
            var failures = new List<string>();
            if (options.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
            {
                failures.Add($"{SectionName}:OtlpEndpoint must be an absolute http or https URL (got '{endpoint}').");
            }

            if (options.MetricsPort is { } port and (< 1 or > 65535))
            {
                failures.Add($"{SectionName}:MetricsPort must be a TCP port from 1 to 65535 (got {port}).");
            }

            if (options.ExportInterval < TimeSpan.FromMilliseconds(100) || options.ExportInterval > TimeSpan.FromHours(1))
            {
                failures.Add($"{SectionName}:ExportInterval must be from 00:00:00.100 to 01:00:00 (got {options.ExportInterval}).");
            }

            if (string.IsNullOrWhiteSpace(options.ServiceName))
            {
                failures.Add($"{SectionName}:ServiceName must not be empty.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
