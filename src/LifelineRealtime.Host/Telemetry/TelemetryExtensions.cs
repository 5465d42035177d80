using System.Diagnostics.Metrics;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Ingest;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LifelineRealtime.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the engine: its own meter (<c>LifelineRealtime</c>), Orleans', ASP.NET Core's and the runtime's,
/// and traces of HTTP requests and grain calls. OTLP when configured; otherwise a Prometheus scrape endpoint.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The scrape path.</summary>
    public const string MetricsPath = "/metrics";

    private static readonly string[] Meters = [IngestInstruments.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections"];
    /// <summary>
    /// Buckets of the engine's durations, in seconds: from a millisecond (a journal commit) to a minute (a backfill
    /// fill, an export partition). The SDK's defaults (0 to 10,000) are made for milliseconds and would put every
    /// duration in seconds into the first bucket.
    /// </summary>
    internal static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private static readonly string[] ActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static WebApplicationBuilder AddLifelineTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(TelemetryOptions.SectionName);
        builder.Services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptions.Validator>();
        var o = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (o.MetricsPort is { } port and >= 1 and <= 65535)
        {
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, WithMetricsPort(builder.Configuration, port));
        }

        var otlp = o.UsesOtlp;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(o.ServiceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddRuntimeInstrumentation()
                    .AddView(instrument => instrument.Meter.Name == IngestInstruments.MeterName && instrument.Unit == "s" && instrument is Histogram<double>
                        ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets }
                        : null);
                if (otlp)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, o, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)o.ExportInterval.TotalMilliseconds;
                    });
                }
                else
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(ActivitySources).AddAspNetCoreInstrumentation(a => a.Filter = http => !IsProbe(http.Request.Path));
                if (otlp)
                {
                    tracing.AddOtlpExporter(exporter =>
                    {
                        Configure(exporter, o, "v1/traces");
                        exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)o.ExportInterval.TotalMilliseconds;
                    });
                }
            });
        return builder;
    }

    /// <summary>
    /// The scrape endpoint (when OTLP is not configured): on <c>MetricsPort</c>, anonymous, and that port answers
    /// nothing but <c>/metrics</c> and the probes; without a port, on the main one for admins only.
    /// </summary>
    public static WebApplication UseLifelineTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var o = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (o.MetricsPort is { } port)
        {
            app.Use((context, next) =>
            {
                var onMetricsPort = context.Connection.LocalPort == port;
                var isMetrics = context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase);
                if (onMetricsPort != isMetrics && !(onMetricsPort && IsProbe(context.Request.Path)))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
            if (!o.UsesOtlp)
            {
                app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase));
            }
        }

        return app;
    }

    /// <summary>Maps <c>/metrics</c> on the main port for admins, when there is no metrics port and no OTLP.</summary>
    public static IEndpointRouteBuilder MapLifelineTelemetry(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var o = endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (o.MetricsPort is null && !o.UsesOtlp)
        {
            endpoints.MapPrometheusScrapingEndpoint(MetricsPath)
                .WithName("GetMetrics")
                .WithTags("Operations")
                .RequireAuthorization(AccessExtensions.AdminPolicy);
        }

        return endpoints;
    }

    /// <summary>The configured listen addresses plus the metrics port on every interface of the main addresses' scheme (http).</summary>
    internal static string WithMetricsPort(IConfiguration configuration, int port)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            // What Kestrel would bind without a setting: the container's HTTP ports, else localhost:5000.
            var ports = configuration["HTTP_PORTS"] ?? configuration["ASPNETCORE_HTTP_PORTS"];
            urls = string.IsNullOrWhiteSpace(ports)
                ? "http://localhost:5000"
                : string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        var host = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Host : null)
            .FirstOrDefault(h => h is not null) ?? "0.0.0.0";
        var metricsHost = host is "localhost" or "127.0.0.1" or "[::1]" ? host : "*";
        return $"{urls};http://{metricsHost}:{port}";
    }

    private static bool IsProbe(PathString path) =>
        path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || path.Equals("/readyz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An endpoint set here is the collector's base address: over HTTP each signal goes to its own path
    /// (<c>/v1/metrics</c>, <c>/v1/traces</c>), which the SDK appends only to an endpoint it read from the variable.
    /// </summary>
    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions o, string signalPath)
    {
        if (o.OtlpEndpoint is { } endpoint)
        {
            var http = o.OtlpProtocol == OtlpProtocol.HttpProtobuf;
            exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            exporter.Endpoint = http ? new Uri(new Uri(endpoint.ToString().TrimEnd('/') + "/"), signalPath) : endpoint;
        }
    }
}
