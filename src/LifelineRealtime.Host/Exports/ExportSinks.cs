using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace LifelineRealtime.Host.Exports;

/// <summary>Where one table's partition lives: <c>&lt;table&gt;/platform=&lt;id&gt;/date=&lt;YYYY-MM-DD&gt;/</c>.</summary>
public readonly record struct PartitionPath(string Table, string PlatformId, DateOnly Date)
{
    public string Folder => $"platform={PlatformId}/date={Date:yyyy-MM-dd}";

    public string Prefix => $"{Table}/{Folder}/";

    public override string ToString() => Prefix;
}

/// <summary>A manifest's line for one data file.</summary>
public sealed record ManifestFile(string Name, long Rows, long Bytes, string Sha256);

/// <summary>
/// <c>_manifest.json</c>, written last in every partition: its files, rows, schema version and the highest journal
/// sequence the partition reflects. A reader that keys off the manifest reads exactly one export of the day.
/// </summary>
public sealed record PartitionManifest(
    int SchemaVersion,
    string Table,
    string Platform,
    string Date,
    string TimeZone,
    long JournalWatermark,
    bool Final,
    DateTimeOffset ExportedAt,
    long Rows,
    ImmutableArray<ManifestFile> Files,
    ImmutableArray<ManifestColumn> Columns)
{
    public const string FileName = "_manifest.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static PartitionManifest? Parse(byte[] bytes) => JsonSerializer.Deserialize<PartitionManifest>(bytes, Json);
}

public sealed record ManifestColumn(string Name, ExportColumnType Type, bool Nullable);

/// <summary>A destination for partitions. Commit replaces the partition so a reader never sees half of one.</summary>
public interface IExportSink
{
    /// <summary>Where it writes, for logs and the status page (no secrets).</summary>
    string Description { get; }

    /// <summary>Writes the files and the manifest of one partition, replacing the previous export of it whole.</summary>
    Task CommitAsync(PartitionPath path, IReadOnlyList<ExportFile> files, PartitionManifest manifest, CancellationToken cancellationToken);

    /// <summary>The committed manifest of a partition, or null.</summary>
    Task<PartitionManifest?> ReadManifestAsync(PartitionPath path, CancellationToken cancellationToken);

    /// <summary>The storage account's region where the storage reports one, else null.</summary>
    Task<string?> ReportedRegionAsync(CancellationToken cancellationToken);

    /// <summary>At start: makes whole what an export the engine died during left behind (each commit also does it for its partition).</summary>
    Task RecoverAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A local folder. A partition is written into a hidden sibling (<c>_tmp-date=…</c>, which Spark, Databricks and
/// DuckDB's hive partitioning skip), then swapped in by two renames: the old partition aside (<c>_old-date=…</c>), the
/// new one in its place; then the old one is deleted. A reader sees the old partition whole or the new one whole
/// (between the two renames, for an instant, none). An export interrupted before the swap leaves the old partition
/// as it was; one interrupted between the renames is put back by the next commit of that partition.
/// </summary>
public sealed class FolderExportSink(string root) : IExportSink
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Description => "folder " + Root;

    /// <summary>A test's hook after each data file is written (to fail an export midway).</summary>
    internal Action<string>? AfterFileWritten { get; set; }

    public async Task CommitAsync(PartitionPath path, IReadOnlyList<ExportFile> files, PartitionManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(manifest);
        var parent = Path.Combine(Root, path.Table, $"platform={path.PlatformId}");
        var name = $"date={path.Date:yyyy-MM-dd}";
        var final = Path.Combine(parent, name);
        Directory.CreateDirectory(parent);
        Recover(parent, name, final);

        var temp = Path.Combine(parent, $"_tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            foreach (var file in files)
            {
                await WriteDurablyAsync(Path.Combine(temp, file.Name), file.Content, cancellationToken);
                AfterFileWritten?.Invoke(file.Name);
            }

            await WriteDurablyAsync(Path.Combine(temp, PartitionManifest.FileName), manifest.ToBytes(), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }

        string? old = null;
        if (Directory.Exists(final))
        {
            old = Path.Combine(parent, $"_old-{name}-{Guid.NewGuid():N}");
            Directory.Move(final, old);
        }

        Directory.Move(temp, final);
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    public async Task<PartitionManifest?> ReadManifestAsync(PartitionPath path, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Root, path.Table, $"platform={path.PlatformId}", $"date={path.Date:yyyy-MM-dd}", PartitionManifest.FileName);
        return File.Exists(file) ? PartitionManifest.Parse(await File.ReadAllBytesAsync(file, cancellationToken)) : null;
    }

    /// <summary>A local folder is where this machine is: the region is whatever the operator says it is.</summary>
    public Task<string?> ReportedRegionAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Every partition a swap set aside is put back, and every abandoned temporary folder removed: after a death between
    /// the two renames, readers see the previous partition again from the next start, not only from its next commit.
    /// </summary>
    public Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return Task.CompletedTask;
        }

        foreach (var table in Directory.EnumerateDirectories(Root))
        {
            foreach (var platform in Directory.EnumerateDirectories(table, "platform=*"))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var names = Directory.EnumerateDirectories(platform, "_*")
                    .Select(d => Path.GetFileName(d))
                    .Where(n => n.StartsWith("_tmp-date=", StringComparison.Ordinal) || n.StartsWith("_old-date=", StringComparison.Ordinal))
                    .Select(n => n[5..n.LastIndexOf('-')])
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                foreach (var name in names)
                {
                    Recover(platform, name, Path.Combine(platform, name));
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Puts back a partition set aside by a swap that did not finish, and removes abandoned temporary folders.</summary>
    private static void Recover(string parent, string name, string final)
    {
        var aside = Directory.GetDirectories(parent, $"_old-{name}-*").Order(StringComparer.Ordinal).ToList();
        if (!Directory.Exists(final) && aside.Count > 0)
        {
            Directory.Move(aside[0], final);
            aside.RemoveAt(0);
        }

        foreach (var stale in aside.Concat(Directory.GetDirectories(parent, $"_tmp-{name}-*")))
        {
            Directory.Delete(stale, recursive: true);
        }
    }

    private static async Task WriteDurablyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await stream.WriteAsync(content, cancellationToken);
        stream.Flush(flushToDisk: true);
    }
}

/// <summary>
/// An Azure Blob Storage (or ADLS Gen2) container. Blob storage has no atomic rename of a prefix (ADLS Gen2 with a
/// hierarchical namespace has, Azurite has not), so a partition is committed by its manifest: data files are uploaded
/// under names that are new for new content (<c>part-NNNNN-&lt;content hash&gt;</c>), then <c>_manifest.json</c> is
/// written in one put (a single blob write is atomic), then the files the new manifest no longer lists are deleted.
/// A reader that reads the manifest and then its files sees one whole export; a reader that lists the folder may,
/// while a commit runs, see old and new files together. An interrupted commit leaves the old manifest and all its
/// files in place (plus unlisted new files, removed by the next commit).
/// </summary>
public sealed class BlobExportSink(BlobContainerClient container) : IExportSink
{
    public BlobContainerClient Container { get; } = container;

    public string Description => $"blob container {Container.Uri.GetLeftPart(UriPartial.Path)}";

    /// <summary>A test's hook after each data file is uploaded (to fail an export midway).</summary>
    internal Action<string>? AfterFileWritten { get; set; }

    public async Task CommitAsync(PartitionPath path, IReadOnlyList<ExportFile> files, PartitionManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(manifest);
        await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var file in files)
        {
            await Container.GetBlobClient(path.Prefix + file.Name).UploadAsync(new BinaryData(file.Content), overwrite: true, cancellationToken);
            AfterFileWritten?.Invoke(file.Name);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await Container.GetBlobClient(path.Prefix + PartitionManifest.FileName).UploadAsync(new BinaryData(manifest.ToBytes()), overwrite: true, cancellationToken);
        var keep = files.Select(f => path.Prefix + f.Name).Append(path.Prefix + PartitionManifest.FileName).ToHashSet(StringComparer.Ordinal);
        await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = path.Prefix }, cancellationToken))
        {
            if (!keep.Contains(blob.Name))
            {
                await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: CancellationToken.None);
            }
        }
    }

    public async Task<PartitionManifest?> ReadManifestAsync(PartitionPath path, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(path.Prefix + PartitionManifest.FileName);
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return PartitionManifest.Parse(content.Value.Content.ToArray());
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The blob data plane does not report an account's region (Get Account Information answers its SKU and kind,
    /// not its location; the location is an Azure Resource Manager property): null, so the configured
    /// <c>Lifeline:Exports:Region</c> is what is checked. Azurite reports none either.
    /// </summary>
    public Task<string?> ReportedRegionAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Nothing to put back: a commit the engine died during left the old manifest, which still lists only whole old
    /// files; the new files it does not list are removed by the partition's next commit.
    /// </summary>
    public Task RecoverAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
