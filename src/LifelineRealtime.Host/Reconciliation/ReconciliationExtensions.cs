using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Storage.Reconciliation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Reconciliation;

public static class ReconciliationExtensions
{
    /// <summary>
    /// The reconciler, its <c>Lifeline:Reconciliation</c> options (validated at start), its store beside the journal,
    /// its instruments and the nightly run (which does nothing unless <see cref="ReconciliationOptions.Enabled"/>).
    /// Needs <c>AddTaskRouterRest()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddReconciliation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ReconciliationInstruments>();
        services.TryAddSingleton<IReconciliationStore>(sp => sp.GetRequiredService<IEventJournal>() is SqliteEventJournal journal
            ? new SqliteReconciliationStore(journal.Path)
            : throw new InvalidOperationException("Register an IReconciliationStore for this journal."));
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<NightlyReconciliation>();
        services.AddHostedService(sp => sp.GetRequiredService<NightlyReconciliation>());
        return builder;
    }

    /// <summary><c>GET</c> and <c>POST /api/platforms/{p}/reconciliation</c>.</summary>
    public static IEndpointRouteBuilder MapReconciliation(this IEndpointRouteBuilder endpoints) => endpoints.MapReconciliationEndpoints();
}
