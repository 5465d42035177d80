using LifelineRealtime.Storage.Backfill;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Backfill;

public static class BackfillExtensions
{
    /// <summary>
    /// Backfill (docs/backfill.md): its <c>Lifeline:Backfill</c> options (validated at start), the reconciliation
    /// records beside the journal, the fill and the hosted service that runs it on start and on the schedule.
    /// Needs <c>AddEventJournal</c>, <c>AddTaskRouterIngest</c> and <c>AddTaskRouterRest</c>.
    /// </summary>
    public static IHostApplicationBuilder AddBackfill(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<BackfillOptions>().BindConfiguration(BackfillOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackfillOptions>, BackfillOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        // Embedded mode only: the records are a side table of the SQLite journal.
        services.TryAddSingleton<IBackfillRecords>(sp => sp.GetRequiredService<IEventJournal>() is SqliteEventJournal journal
            ? new SqliteBackfillRecords(journal.Path)
            : throw new InvalidOperationException("Backfill records are kept beside the SQLite journal; register an IBackfillRecords for this journal."));
        services.TryAddSingleton<BackfillInstruments>();
        services.TryAddSingleton<BackfillStatusBoard>();
        services.TryAddSingleton<BackfillFiller>();
        services.TryAddSingleton<BackfillService>();
        services.AddHostedService(sp => sp.GetRequiredService<BackfillService>());
        return builder;
    }

    /// <summary>The admin endpoints under <c>/api/admin/backfill</c>.</summary>
    public static IEndpointRouteBuilder MapBackfill(this IEndpointRouteBuilder endpoints) => endpoints.MapBackfillAdmin();
}
