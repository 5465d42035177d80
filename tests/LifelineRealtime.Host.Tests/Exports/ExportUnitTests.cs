using System.Text.RegularExpressions;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>The schedule, the options and the schema document, without a host.</summary>
public sealed partial class ExportUnitTests
{
    private static readonly PlatformSettings Sydney = PlatformSettings.Create(new PlatformOptions
    {
        Id = "digi", Name = "DIGI", Channel = "chat", AccountSid = TestPlatforms.DigiAccount, WorkspaceSid = TestPlatforms.DigiWorkspace,
        AuthToken = TestPlatforms.DigiToken, TimeZone = "Australia/Sydney", SupportTypes = ["support"],
        ServiceLevelSeconds = new Dictionary<string, double> { ["default"] = 60 },
    });

    private static long At(int year, int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(11)).ToUnixTimeMilliseconds();

    [Fact]
    public void Schedule_BeforeTheGraceEnds_DoesNotFinalizeYesterday()
    {
        var due = ExportSchedule.Due([Sydney], At(2026, 12, 8, 1, 59), TimeSpan.FromHours(2), new HashSet<(string, DateOnly)> { ("digi", new DateOnly(2026, 12, 6)) });
        Assert.Equal([("digi", new DateOnly(2026, 12, 8), false)], due);
    }

    [Fact]
    public void Schedule_AfterARestart_FinalizesADayAgainWithinADayOfItsGrace()
    {
        var due = ExportSchedule.Due([Sydney], At(2026, 12, 8, 1, 59), TimeSpan.FromHours(2), new HashSet<(string, DateOnly)>());
        Assert.Equal([("digi", new DateOnly(2026, 12, 6), true), ("digi", new DateOnly(2026, 12, 8), false)], due);
    }

    [Fact]
    public void Schedule_OnceTheGraceHasPassed_ExportsYesterdayFinallyOnce()
    {
        var finalized = new HashSet<(string, DateOnly)>();
        var due = ExportSchedule.Due([Sydney], At(2026, 12, 8, 2, 0), TimeSpan.FromHours(2), finalized);
        Assert.Equal([("digi", new DateOnly(2026, 12, 7), true), ("digi", new DateOnly(2026, 12, 8), false)], due);

        finalized.Add(("digi", new DateOnly(2026, 12, 7)));
        Assert.Equal([("digi", new DateOnly(2026, 12, 8), false)], ExportSchedule.Due([Sydney], At(2026, 12, 8, 3, 0), TimeSpan.FromHours(2), finalized));
    }

    [Fact]
    public void Options_Defaults_AreValid() => Assert.Empty(new ExportOptions().Problems());

    [Fact]
    public void Options_BlobWithoutRegionOrAccount_NamesEverySetting()
    {
        var problems = new ExportOptions { Sink = ExportSinkKind.Blob, Container = "Bad_Name", IncludeNames = true, NamesContainer = "Bad_Name" }.Problems();
        Assert.Contains(problems, p => p.StartsWith("Lifeline:Exports:ConnectionString", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Lifeline:Exports:Container", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Lifeline:Exports:NamesContainer", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Lifeline:Exports:Region is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_FullAccessInTheSameFolder_IsRefused() =>
        Assert.Contains(new ExportOptions { IncludeNames = true, NamesPath = "data/exports" }.Problems(), p => p.StartsWith("Lifeline:Exports:NamesPath", StringComparison.Ordinal));

    [Fact]
    public void SchemaDocument_ListsEveryColumnWithItsType()
    {
        var document = File.ReadAllText(Path.Combine(Repository.Root, "docs", "exports.md"));
        foreach (var table in ExportTables.All)
        {
            var section = document[document.IndexOf($"### `{table}`", StringComparison.Ordinal)..];
            var next = section.IndexOf("\n### ", 5, StringComparison.Ordinal);
            section = next < 0 ? section : section[..next];
            var documented = ColumnRow().Matches(section).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
            Assert.Equal(ExportSchema.Columns(table).Select(c => (c.Name, TypeName(c.Type))), documented);
        }
    }

    private static string TypeName(ExportColumnType type) => type switch
    {
        ExportColumnType.String => "STRING (UTF-8)",
        ExportColumnType.Int64 => "INT64",
        ExportColumnType.Double => "DOUBLE",
        ExportColumnType.Timestamp => "TIMESTAMP(MILLIS, UTC)",
        ExportColumnType.Date => "DATE",
        _ => "BOOLEAN",
    };

    [GeneratedRegex(@"^\| `(\w+)` \| ([^|]+?) \|", RegexOptions.Multiline)]
    private static partial Regex ColumnRow();
}
