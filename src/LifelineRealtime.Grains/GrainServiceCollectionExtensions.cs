using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Grains.Persistence;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Grains.Stats;
using LifelineRealtime.Storage.Conversations;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Storage.Quarantine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace LifelineRealtime.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Lets Orleans carry the Domain's read models (snapshots, windows) across grain calls as JSON. The
    /// Domain stays free of Orleans attributes; the contracts of the hot path (journal inputs, stats
    /// changes) are Orleans-native in LifelineRealtime.Abstractions.
    /// Read models are immutable, so within a silo they are passed by reference instead of copied.
    /// </summary>
    public static IServiceCollection AddLifelineSerialization(this IServiceCollection services)
    {
        services.AddSingleton<IGeneralizedCopier, ReadModelCopier>();
        return services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSerializable: IsDomainType,
            isCopyable: type => IsDomainType(type) && !ReadModelCopier.Handles(type)));
    }

    private static bool IsDomainType(Type type) => type.Namespace?.StartsWith("LifelineRealtime.Domain", StringComparison.Ordinal) == true;

    /// <summary>
    /// The silo side of the engine: grain serialization, grain state in SQLite (embedded mode) and the
    /// journal dispatcher. The caller registers the <see cref="PlatformCatalog"/> and the journal.
    /// </summary>
    public static ISiloBuilder AddLifelineGrains(this ISiloBuilder silo, string grainStatePath, Action<DispatchOptions>? dispatch = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddSqliteGrainStorage(OrleansNames.StateStorage, o => o.Path = grainStatePath);
        silo.Services.AddLifelineSerialization();
        silo.Services.AddMetrics();
        var dispatchOptions = silo.Services.AddOptions<DispatchOptions>();
        if (dispatch is not null)
        {
            dispatchOptions.Configure(dispatch);
        }

        silo.Services.AddOptions<LiveOptions>();
        silo.Services.AddSingleton<DispatchInstruments>();
        silo.Services.TryAddSingleton(EventTimeWindow.Default);
        // The quarantine sits beside the journal's events, in the same file.
        silo.Services.TryAddSingleton<IDispatchQuarantine>(sp => sp.GetRequiredService<IEventJournal>() is SqliteEventJournal journal
            ? new SqliteDispatchQuarantine(journal.Path)
            : throw new InvalidOperationException("Register an IDispatchQuarantine for this journal."));
        // So is the conversation list: rebuilt from the journal like the grains' state.
        silo.Services.TryAddSingleton<IConversationStore>(sp => sp.GetRequiredService<IEventJournal>() is SqliteEventJournal journal
            ? new SqliteConversationStore(journal.Path)
            : throw new InvalidOperationException("Register an IConversationStore for this journal."));
        silo.Services.AddSingleton<JournalDispatcher>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<JournalDispatcher>());
        return silo;
    }
}
