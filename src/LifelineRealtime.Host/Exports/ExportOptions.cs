using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Exports;

/// <summary>Where Parquet exports go.</summary>
public enum ExportSinkKind
{
    /// <summary>A local folder (embedded mode).</summary>
    Folder,

    /// <summary>An Azure Blob Storage / ADLS Gen2 container (cluster mode).</summary>
    Blob,
}

/// <summary><c>Lifeline:Exports</c>: the Parquet tables for Databricks and Power BI (docs/exports.md).</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Lifeline:Exports";

    /// <summary>The storage regions exports may be written to: the data of an Australian crisis line stays in Australia.</summary>
    public static readonly IReadOnlyList<string> AustralianRegions = ["australiaeast", "australiasoutheast", "australiacentral", "australiacentral2"];

    /// <summary>Whether the hourly and end-of-day exports run (on-demand exports always may).</summary>
    public bool Scheduled { get; set; } = true;

    /// <summary>How often the current day is exported again.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after a day closes in the platform's time zone its final export waits for late events.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromHours(2);

    public ExportSinkKind Sink { get; set; } = ExportSinkKind.Folder;

    /// <summary>Folder sink: the export root, relative to the content root unless absolute.</summary>
    public string Path { get; set; } = "data/exports";

    /// <summary>Folder sink: the root of the full-access export (with names), when <see cref="IncludeNames"/> is set.</summary>
    public string NamesPath { get; set; } = "data/exports-full-access";

    /// <summary>Blob sink: a storage connection string (or use <see cref="BlobServiceUri"/> with managed identity).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob sink: the account's blob endpoint, authenticated with <c>DefaultAzureCredential</c> (managed identity).</summary>
    public Uri? BlobServiceUri { get; set; }

    public string Container { get; set; } = "lifeline-exports";

    /// <summary>Blob sink: the container of the full-access export, when <see cref="IncludeNames"/> is set.</summary>
    public string NamesContainer { get; set; } = "lifeline-exports-full-access";

    /// <summary>Blob sink: the storage account's Azure region (required; must be Australian).</summary>
    public string? Region { get; set; }

    /// <summary>Lets a non-Australian region start (never for production data).</summary>
    public bool AllowNonAustralianRegion { get; set; }

    /// <summary>Also writes a full-access export, with CS and ISS names, to <see cref="NamesPath"/> / <see cref="NamesContainer"/>.</summary>
    public bool IncludeNames { get; set; }

    /// <summary>Rows per Parquet row group.</summary>
    public int RowGroupSize { get; set; } = 100_000;

    /// <summary>Rows per Parquet file; a partition with more is split into several files.</summary>
    public int MaxRowsPerFile { get; set; } = 1_000_000;

    /// <summary>
    /// How far before and after a day the journal is folded to export it: a task created the day before and
    /// completed that day, or an activity closed the day after, is measured whole.
    /// </summary>
    public TimeSpan FoldMargin { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Every reason these options cannot be used, each naming its setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Interval < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{SectionName}:Interval must be at least 00:01:00 (is {Interval})");
        }

        if (Grace < TimeSpan.Zero || Grace > TimeSpan.FromDays(7))
        {
            problems.Add($"{SectionName}:Grace must be between 00:00:00 and 7.00:00:00 (is {Grace})");
        }

        if (FoldMargin < TimeSpan.Zero || FoldMargin > TimeSpan.FromDays(7))
        {
            problems.Add($"{SectionName}:FoldMargin must be between 00:00:00 and 7.00:00:00 (is {FoldMargin})");
        }

        if (RowGroupSize is < 1_000 or > 10_000_000)
        {
            problems.Add($"{SectionName}:RowGroupSize must be between 1000 and 10000000 (is {RowGroupSize})");
        }

        if (MaxRowsPerFile < RowGroupSize)
        {
            problems.Add($"{SectionName}:MaxRowsPerFile must be at least RowGroupSize ({RowGroupSize}; is {MaxRowsPerFile})");
        }

        switch (Sink)
        {
            case ExportSinkKind.Folder:
                if (string.IsNullOrWhiteSpace(Path))
                {
                    problems.Add($"{SectionName}:Path is required for the Folder sink");
                }

                if (IncludeNames && (string.IsNullOrWhiteSpace(NamesPath) || SamePath(Path, NamesPath)))
                {
                    problems.Add($"{SectionName}:NamesPath must be set, and differ from Path, when IncludeNames is true");
                }

                break;
            case ExportSinkKind.Blob:
                if (string.IsNullOrWhiteSpace(ConnectionString) == (BlobServiceUri is null))
                {
                    problems.Add($"{SectionName}:ConnectionString or {SectionName}:BlobServiceUri (managed identity) is required for the Blob sink, not both");
                }

                if (!IsContainerName(Container))
                {
                    problems.Add($"{SectionName}:Container '{Container}' is not a valid container name (3-63 lower-case letters, digits and single hyphens)");
                }

                if (IncludeNames && (!IsContainerName(NamesContainer) || string.Equals(NamesContainer, Container, StringComparison.Ordinal)))
                {
                    problems.Add($"{SectionName}:NamesContainer must be a valid container name, other than Container, when IncludeNames is true");
                }

                if (RegionProblem(Region, AllowNonAustralianRegion, "configured") is { } region)
                {
                    problems.Add(region);
                }

                break;
            default:
                problems.Add($"{SectionName}:Sink must be Folder or Blob (is {Sink})");
                break;
        }

        return problems;
    }

    /// <summary>Why a region may not hold exports (named by where it came from), or null when it may.</summary>
    public static string? RegionProblem(string? region, bool allowNonAustralian, string source)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            return $"{SectionName}:Region is required for the Blob sink (one of {string.Join(", ", AustralianRegions)})";
        }

        var normalized = region.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return AustralianRegions.Contains(normalized) || allowNonAustralian
            ? null
            : $"{SectionName}:Region: the {source} storage region '{region}' is not Australian ({string.Join(", ", AustralianRegions)}); "
                + $"exports of this crisis line stay in Australia unless {SectionName}:AllowNonAustralianRegion is true";
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(System.IO.Path.GetFullPath(a), System.IO.Path.GetFullPath(b), StringComparison.Ordinal);

    private static bool IsContainerName(string? name)
    {
        static bool LowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
        return name is { Length: >= 3 and <= 63 } && LowerOrDigit(name[0]) && LowerOrDigit(name[^1])
            && name.All(c => LowerOrDigit(c) || c == '-') && !name.Contains("--", StringComparison.Ordinal);
    }

    internal sealed class Validator : IValidateOptions<ExportOptions>
    {
        public ValidateOptionsResult Validate(string? name, ExportOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
