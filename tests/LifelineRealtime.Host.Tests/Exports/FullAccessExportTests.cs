using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>The full-access export (names) is written only when configured, and only to its own folder.</summary>
public sealed class FullAccessExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IncludeNames_WritesNamesToTheSeparateFolderOnly()
    {
        var names = Path.Combine(LifelineRealtime.Testing.TestData.Root, "full-access-" + Guid.NewGuid().ToString("N"));
        await using var factory = new LifelineHostFactory(s => (s["Lifeline:Exports:IncludeNames"], s["Lifeline:Exports:NamesPath"]) = ("true", names));
        var day = SimulatedDay.Yesterday;
        var (events, _) = await SimulatedDay.AppendAsync(factory, day, new TimeOnly(10, 0), TimeSpan.FromHours(3), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (6, 2, 12), Ct);
        var job = await factory.Services.GetRequiredService<ExportQueue>().EnqueueAsync("test", [("digi", day)], [ExportTables.Conversations, ExportTables.Reservations], Ct);
        await job.Completion.WaitAsync(Ct);
        Assert.Equal(ExportState.Succeeded, job.Status.State);
        var root = ((FolderExportSink)factory.Services.GetRequiredService<ExportSinks>().Pseudonymous).Root;
        try
        {
            var settings = factory.Services.GetRequiredService<PlatformCatalog>().Get("digi");
            var fold = OfflineFold.Run(settings, events.Select(e => e.Event));
            var expected = fold.Tasks.Values.Select(t => t.Conversation).Where(c => c.CreatedMs is { } at && settings.LocalDate(at) == day)
                .ToDictionary(c => c.TaskSid, c => (c.CustomerName, c.WorkerName), StringComparer.Ordinal);
            var full = ExportReading.Rows(names, ExportTables.Conversations);
            Assert.Equal(expected.Count, full.Count);
            Assert.All(full, r => Assert.Equal(expected[(string)r["task_sid"]!], ((string?)r["customer_name"], (string?)r["worker_name"])));
            Assert.Contains(full, r => r["customer_name"] is not null);
            Assert.Contains("worker_name", ExportReading.Schema(names, ExportTables.Reservations).Select(c => c.Name));

            Assert.DoesNotContain(ExportReading.Schema(root, ExportTables.Conversations), c => c.Name is "customer_name" or "worker_name");
            Assert.DoesNotContain(ExportReading.Schema(root, ExportTables.Reservations), c => c.Name == "worker_name");
        }
        finally
        {
            Directory.Delete(names, recursive: true);
            Directory.Delete(root, recursive: true);
        }
    }
}
