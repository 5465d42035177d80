using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>A small simulated week on DIGI (the seven days before today), journaled, dispatched and exported once through the admin API.</summary>
public sealed class SimulatedWeekExport : IAsyncLifetime
{
    public const string Collection = "simulated week export";

    internal LifelineHostFactory Factory { get; } = new();

    public DateOnly First { get; private set; }

    public DateOnly Last { get; private set; }

    internal IReadOnlyList<JournalEntry> Events { get; private set; } = [];

    public string Root => ((FolderExportSink)Factory.Services.GetRequiredService<ExportSinks>().Pseudonymous).Root;

    public TimeSpan ExportTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Last = SimulatedDay.Yesterday;
        First = Last.AddDays(-6);
        (Events, _) = await SimulatedDay.AppendAsync(Factory, First, TimeOnly.MinValue, TimeSpan.FromDays(7), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (10, 2, 8), ct);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var status = await ExportAsync(new { from = ExportReading.Date(First), to = ExportReading.Date(Last), platforms = new[] { "digi" } }, ct);
        ExportTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Assert.Equal(ExportState.Succeeded, status.State);
        Assert.Equal(7 * ExportTables.All.Length, status.PartitionsDone);

        // The figures of docs/exports.md (sizes and time of this week's export), for whoever wants them again.
        var lines = ExportTables.All.Select(t =>
        {
            var files = Directory.GetFiles(Path.Combine(Root, t), "*.parquet", SearchOption.AllDirectories);
            var rows = files.Sum(f => new ParquetSharp.ParquetFileReader(f).Using(r => r.FileMetaData.NumRows));
            return $"{t}: {files.Length} files, {rows} rows, {files.Sum(f => new FileInfo(f).Length)} bytes";
        });
        File.WriteAllLines(Path.Combine(LifelineRealtime.Testing.TestData.Root, "exports-week-figures.txt"),
            [$"{Events.Count} events, export of 7 days × 5 tables in {ExportTime.TotalMilliseconds:F0} ms", .. lines]);
    }

    /// <summary>Posts an export as an admin and waits for it to end; answers its final status as the API reports it.</summary>
    internal async Task<ExportStatus> ExportAsync(object request, CancellationToken ct)
    {
        using var api = Factory.CreateClient();
        using var response = await api.PostAsJsonAsync(new Uri("/api/admin/exports", UriKind.Relative), request, ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var id = queued.GetProperty("id").GetString()!;
        Assert.Equal($"/api/admin/exports/{id}", response.Headers.Location?.OriginalString);
        await (await Factory.Services.GetRequiredService<ExportQueue>().FindAsync(id, ct))!.Completion.WaitAsync(ct);
        var status = await api.GetFromJsonAsync<ExportStatus>(new Uri($"/api/admin/exports/{id}", UriKind.Relative), LifelineJson.Options, ct);
        return status!;
    }

    public async ValueTask DisposeAsync()
    {
        var root = Factory.Services.GetRequiredService<ExportSinks>().Pseudonymous is FolderExportSink folder ? folder.Root : null;
        await Factory.DisposeAsync();
        if (root is not null && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

[CollectionDefinition(SimulatedWeekExport.Collection)]
public sealed class SimulatedWeekExportCollection : ICollectionFixture<SimulatedWeekExport>;

internal static class DisposableExtensions
{
    public static TResult Using<T, TResult>(this T disposable, Func<T, TResult> use)
        where T : IDisposable
    {
        using (disposable)
        {
            return use(disposable);
        }
    }
}
