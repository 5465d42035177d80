using System.Net;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Conversations;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Storage.Quarantine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LifelineRealtime.Host.Tests.Conversations;

/// <summary>A conversation list that cannot be written for a while never stops dispatch nor sets a record aside; it catches up.</summary>
public sealed class ConversationStoreFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The real store, refusing its first writes as a locked or full disk would.</summary>
    private sealed class FailingFirst(IConversationStore inner, int failures) : IConversationStore
    {
        private readonly Dictionary<string, ConversationRecord> _written = new(StringComparer.Ordinal);
        private int _calls;

        /// <summary>Completes once both of the story's DIGI tasks have been written, with every record written by then.</summary>
        public TaskCompletionSource<IReadOnlyCollection<ConversationRecord>> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task UpsertAsync(IReadOnlyCollection<ConversationRecord> records, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) <= failures)
            {
                throw new IOException("disk I/O error (simulated)");
            }

            await inner.UpsertAsync(records, cancellationToken);
            lock (_written)
            {
                foreach (var r in records)
                {
                    _written[r.TaskSid] = r;
                }

                if (_written.ContainsKey("WT000000000000000000000000d1000001") && _written.ContainsKey("WT000000000000000000000000d1000002"))
                {
                    Written.TrySetResult([.. _written.Values]);
                }
            }
        }

        public Task<IReadOnlyList<ConversationRow>> QueryAsync(ConversationQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public Task<ConversationRow?> GetAsync(string platformId, string taskSid, CancellationToken cancellationToken = default) => inner.GetAsync(platformId, taskSid, cancellationToken);
    }

    [Fact]
    public async Task StoreFailing_DispatchGoesOn_NothingIsSetAside_AndTheListCatchesUpAtTheCheckpoint()
    {
        FailingFirst? store = null;
        await using var factory = new LifelineHostFactory(services: s => s.Replace(ServiceDescriptor.Singleton<IConversationStore>(sp =>
            store = new FailingFirst(new SqliteConversationStore(((SqliteEventJournal)sp.GetRequiredService<IEventJournal>()).Path), failures: 2))));
        using var client = factory.CreateClient();
        foreach (var name in Fixtures.FormNames)
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, Ct);
        var written = await store!.Written.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(0, factory.Services.GetRequiredService<IDispatchQuarantine>().Count);
        Assert.Contains(written, r => r.TaskSid == "WT000000000000000000000000d1000001" && r.Outcome == ConversationOutcome.Handled);
        var page = await client.GetStringAsync(new Uri("/api/platforms/digi/conversations?from=2026-11-24&to=2026-11-24", UriKind.Relative), Ct);
        Assert.Contains("\"count\":2", page, StringComparison.Ordinal);
    }
}
