using Azure.Identity;
using Azure.Storage.Blobs;
using LifelineRealtime.Storage.Exports;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Exports;

public static class ExportsExtensions
{
    /// <summary>
    /// Parquet exports (docs/exports.md): options checked at start (a non-Australian region refuses to start), the
    /// sink (a folder under the content root in embedded mode, a blob container in a cluster), the export queue and
    /// the hourly / end-of-day schedule.
    /// </summary>
    public static IHostApplicationBuilder AddExports(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptions.Validator>();
        services.AddSingleton<ExportInstruments>();
        services.AddSingleton(sp => CreateSinks(sp.GetRequiredService<IOptions<ExportOptions>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton<PartitionExporter>();
        services.AddHostedService<ExportRegionCheck>();
        services.TryAddSingleton<IExportJobStore>(sp => sp.GetRequiredService<IEventJournal>() is SqliteEventJournal journal
            ? new SqliteExportJobStore(journal.Path)
            : throw new InvalidOperationException("Register an IExportJobStore for this journal."));
        services.AddSingleton<ExportQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportQueue>());
        services.AddHostedService<ExportScheduler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder endpoints) => endpoints.MapExportsEndpoints();

    internal static ExportSinks CreateSinks(ExportOptions o, string contentRoot)
    {
        if (o.Sink == ExportSinkKind.Folder)
        {
            string Rooted(string path) => Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
            return new ExportSinks(new FolderExportSink(Rooted(o.Path)), o.IncludeNames ? new FolderExportSink(Rooted(o.NamesPath)) : null);
        }

        var service = o.ConnectionString is { Length: > 0 } connection
            ? new BlobServiceClient(connection)
            : new BlobServiceClient(o.BlobServiceUri, new DefaultAzureCredential());
        return new ExportSinks(new BlobExportSink(service.GetBlobContainerClient(o.Container)), o.IncludeNames ? new BlobExportSink(service.GetBlobContainerClient(o.NamesContainer)) : null);
    }
}

/// <summary>
/// At start: refuses a storage account that reports a non-Australian region (unless overridden). The configured
/// region is checked by the options; the blob data plane reports no region (nor does Azurite), so for Azure this
/// check passes on the configured region alone.
/// </summary>
internal sealed class ExportRegionCheck(ExportSinks sinks, IOptions<ExportOptions> options, ILogger<ExportRegionCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        foreach (var sink in new[] { sinks.Pseudonymous, sinks.FullAccess }.OfType<IExportSink>())
        {
            if (await sink.ReportedRegionAsync(cancellationToken) is { } reported && ExportOptions.RegionProblem(reported, o.AllowNonAustralianRegion, "reported") is { } problem)
            {
                throw new OptionsValidationException(ExportOptions.SectionName, typeof(ExportOptions), [problem]);
            }
        }

        ExportLog.Started(logger, sinks.Pseudonymous.Description, sinks.FullAccess is { } full ? $"; full-access exports (names) to {full.Description}" : "");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
