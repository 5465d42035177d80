using Azure.Storage.Blobs;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>Exports to Azure Blob Storage through Azurite, read back; the region refusal and its override.</summary>
public sealed class BlobExportTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Action<Dictionary<string, string?>> Blob(string region, string container, bool allow = false) => s =>
    {
        s["Lifeline:Exports:Sink"] = "Blob";
        s["Lifeline:Exports:ConnectionString"] = azurite.ConnectionString;
        s["Lifeline:Exports:Container"] = container;
        s["Lifeline:Exports:Region"] = region;
        s["Lifeline:Exports:AllowNonAustralianRegion"] = allow ? "true" : "false";
    };

    [Fact]
    public async Task BlobSink_ADay_IsUploadedWithItsManifestAndReadsBack()
    {
        var container = "exports-" + Guid.NewGuid().ToString("N")[..12];
        await using var factory = new LifelineHostFactory(Blob("australiaeast", container));
        var day = SimulatedDay.Yesterday;
        await SimulatedDay.AppendAsync(factory, day, new TimeOnly(9, 0), TimeSpan.FromHours(6), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (6, 2, 10), Ct);
        var queue = factory.Services.GetRequiredService<ExportQueue>();
        var job = await queue.EnqueueAsync("test", [("digi", day)], ExportTables.All, Ct);
        await job.Completion.WaitAsync(Ct);
        Assert.Equal(ExportState.Succeeded, job.Status.State);

        // Read back with a client of our own and DuckDB, from a download of the container.
        var client = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        var local = Path.Combine(LifelineRealtime.Testing.TestData.Root, container);
        try
        {
            await foreach (var blob in client.GetBlobsAsync(cancellationToken: Ct))
            {
                var target = Path.Combine(local, blob.Name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await client.GetBlobClient(blob.Name).DownloadToAsync(target, Ct);
            }

            foreach (var table in ExportTables.All)
            {
                var prefix = new PartitionPath(table, "digi", day);
                var manifest = PartitionManifest.Parse(File.ReadAllBytes(Path.Combine(local, prefix.Prefix, PartitionManifest.FileName)))!;
                Assert.Equal(manifest.Rows, (long)ExportReading.Scalar(local, table, "SELECT count(*)::BIGINT FROM t")!);
                Assert.Equal(ExportSchema.Columns(table).Where(c => !c.NamesOnly).Select(c => c.Name), ExportReading.Schema(local, table).Select(c => c.Name));
            }

            Assert.True((long)ExportReading.Scalar(local, ExportTables.Conversations, "SELECT count(*)::BIGINT FROM t")! > 10);
        }
        finally
        {
            if (Directory.Exists(local))
            {
                Directory.Delete(local, recursive: true);
            }
        }

        // A re-export failing after a file is uploaded leaves the committed manifest, and every file it lists, as they were.
        var sink = (BlobExportSink)factory.Services.GetRequiredService<ExportSinks>().Pseudonymous;
        var path = new PartitionPath(ExportTables.Events, "digi", day);
        var before = await sink.ReadManifestAsync(path, Ct);
        sink.AfterFileWritten = _ => throw new IOException("the connection dropped (injected)");
        try
        {
            var failed = await queue.EnqueueAsync("test", [("digi", day)], [ExportTables.Events], Ct);
            await failed.Completion.WaitAsync(Ct);
            Assert.Equal(ExportState.Failed, failed.Status.State);
        }
        finally
        {
            sink.AfterFileWritten = null;
        }

        var after = await sink.ReadManifestAsync(path, Ct);
        Assert.Equal(before!.Files, after!.Files);
        Assert.Equal(before.ExportedAt, after.ExportedAt);
        foreach (var file in after.Files)
        {
            var content = await client.GetBlobClient(path.Prefix + file.Name).DownloadContentAsync(Ct);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.Value.Content.ToArray())));
        }
    }

    [Theory]
    [InlineData("westeurope")]
    [InlineData("eastus")]
    public void Start_NonAustralianRegion_IsRefusedNamingTheSetting(string region)
    {
        using var factory = new LifelineHostFactory(Blob(region, "exports-refused"));
        var refusal = Assert.Throws<OptionsValidationException>(() => factory.Services.GetRequiredService<IOptions<ExportOptions>>().Value);
        Assert.Contains($"Lifeline:Exports:Region: the configured storage region '{region}' is not Australian", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("AllowNonAustralianRegion", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NonAustralianRegionWithTheOverride_StartsAndExports()
    {
        var container = "exports-" + Guid.NewGuid().ToString("N")[..12];
        await using var factory = new LifelineHostFactory(Blob("westeurope", container, allow: true));
        var job = await factory.Services.GetRequiredService<ExportQueue>().EnqueueAsync("test", [("ciss", new DateOnly(2026, 1, 1))], [ExportTables.DailyMetrics], Ct);
        await job.Completion.WaitAsync(Ct);
        Assert.Equal(ExportState.Succeeded, job.Status.State);
        var manifest = await factory.Services.GetRequiredService<ExportSinks>().Pseudonymous.ReadManifestAsync(new PartitionPath(ExportTables.DailyMetrics, "ciss", new DateOnly(2026, 1, 1)), Ct);
        Assert.NotNull(manifest);
    }

    [Theory]
    [InlineData("australiaeast")]
    [InlineData("australiasoutheast")]
    [InlineData("australiacentral")]
    [InlineData("australiacentral2")]
    [InlineData("Australia East")]
    public void Region_Australian_IsAccepted(string region) =>
        Assert.Null(ExportOptions.RegionProblem(region, allowNonAustralian: false, "configured"));

    [Fact]
    public void Region_ReportedByTheAccount_IsCheckedLikeTheConfiguredOne() =>
        Assert.Contains("the reported storage region 'westus2' is not Australian", ExportOptions.RegionProblem("westus2", allowNonAustralian: false, "reported"), StringComparison.Ordinal);
}
