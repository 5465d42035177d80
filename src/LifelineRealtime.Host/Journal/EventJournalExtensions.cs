using LifelineRealtime.Host.Options;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Journal;

public static class EventJournalExtensions
{
    /// <summary>
    /// Registers the event journal (<see cref="IEventJournal"/>) from <c>Lifeline:Storage</c>. It is opened
    /// when the host starts. A file it cannot open for writing then does not stop the host: the journal
    /// reports itself failing (readiness, <c>/status</c>, the log), refuses appends and keeps trying, so a
    /// volume that comes back needs no restart. The grains dispatcher reads it with
    /// <see cref="IEventJournal.ReadAfterSequenceAsync"/> and <see cref="IEventJournal.WaitForCommitAsync"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEventJournal(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<JournalInstruments>();
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<LifelineOptions>>().Value.Storage;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            var options = new SqliteJournalOptions
            {
                Path = storage.JournalPath(environment.ContentRootPath),
                Durability = Enum.Parse<JournalDurability>(storage.Durability, ignoreCase: true),
                BusyTimeout = storage.BusyTimeout,
            };
            return new SqliteEventJournal(
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<JournalInstruments>(),
                sp.GetRequiredService<ILogger<SqliteEventJournal>>());
        });
        services.TryAddSingleton<IEventJournal>(sp => sp.GetRequiredService<SqliteEventJournal>());
        services.AddHostedService<EventJournalOpener>();
        return builder;
    }

    /// <summary>Opens the journal at start (after options validation, which runs first).</summary>
    private sealed class EventJournalOpener(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<IEventJournal>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
