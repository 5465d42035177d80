using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Conversations;

/// <summary>
/// The conversation list of a simulated busy day and of a quiet month, read page by page over HTTP, equals the offline fold of the same
/// events (the read model is the fold, not an approximation of it) and the simulator's own account of every task.
/// </summary>
public sealed class ConversationListTruthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Spans => ["a busy day", "a quiet month"];

    [Theory]
    [MemberData(nameof(Spans))]
    public async Task Simulation_EveryPageOfTheList_EqualsTheOfflineFoldAndTheGroundTruth(string span)
    {
        await using var factory = new LifelineHostFactory();
        var last = SimulatedDay.Yesterday;
        var first = span == "a busy day" ? last : last.AddDays(-29);
        var (events, truth) = span == "a busy day"
            ? await SimulatedDay.AppendAsync(factory, Ct)
            : await SimulatedDay.AppendAsync(factory, first, TimeOnly.MinValue, TimeSpan.FromDays(30), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (12, 3, 4), Ct);
        using var api = factory.CreateClient();
        string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        bool InSpan(long ms) => factory.Services.GetRequiredService<PlatformCatalog>().Get("digi").LocalDate(ms) is var d && d >= first && d <= last;

        var rows = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/platforms/digi/conversations?from={Date(first)}&to={Date(last)}&limit=200{(cursor is null ? "" : "&cursor=" + cursor)}", UriKind.Relative), Ct);
            rows.AddRange(page.GetProperty("conversations").EnumerateArray());
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null);

        // The offline fold of the same events, shown as the API shows it to an admin.
        var settings = factory.Services.GetRequiredService<PlatformCatalog>().Get("digi");
        var fold = OfflineFold.Run(settings, events.Select(e => e.Event));
        var pseudonyms = factory.Services.GetRequiredService<CustomerPseudonyms>();
        var expected = fold.Tasks.Values.Select(t => t.Conversation)
            .Where(c => c.CreatedMs is { } at && InSpan(at))
            .OrderByDescending(c => c.CreatedMs).ThenByDescending(c => c.TaskSid, StringComparer.Ordinal)
            .Select(c => JsonSerializer.Serialize(ConversationsApi.View(c, settings, ConversationGrant.Everything, pseudonyms), LifelineJson.Options))
            .ToList();
        Assert.True(pages > 1, "the day fits one page: the cursor is not exercised");
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(expected, rows.Select(r => r.GetRawText()));

        // The simulator's account of each task it created that day.
        var byTask = rows.ToDictionary(r => r.GetProperty("taskSid").GetString()!, StringComparer.Ordinal);
        var told = truth.Tasks.Where(t => t.PlatformId == "digi" && InSpan(t.CreatedMs)).ToList();
        Assert.Equal(told.Count, byTask.Count);
        foreach (var t in told)
        {
            var row = byTask[t.TaskSid];
            static double? Seconds(long? ms) => ms / 1000.0;
            static double? Read(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetDouble();
            Assert.Equal((t.SupportType, t.TaskQueueSid, t.WorkerSid), (row.GetProperty("supportType").GetString(), row.GetProperty("taskQueueSid").GetString(), row.GetProperty("workerSid").GetString()));
            Assert.Equal(Seconds(t.WaitMs ?? t.AbandonedWaitMs), Read(row, "waitSeconds"));
            Assert.Equal((Seconds(t.TalkMs), Seconds(t.WrapMs)), (Read(row, "talkSeconds"), Read(row, "wrapSeconds")));
            Assert.Equal(t.Reservations, row.GetProperty("reservations").GetArrayLength());
            var outcome = row.GetProperty("outcome").GetString();
            var expectedOutcome = t.Outcome switch
            {
                TaskOutcome.Abandoned => t.AbandonedWaitMs <= settings.ShortAbandonMs ? "short_abandoned" : "abandoned",
                TaskOutcome.Completed => t.Transferred ? "transferred" : "handled",
                _ => "open",
            };
            Assert.True(expectedOutcome == outcome, $"{t.TaskSid}: simulator {t.Outcome} (transferred {t.Transferred} {t.TransferKind}), list {outcome}");
        }
    }
}
