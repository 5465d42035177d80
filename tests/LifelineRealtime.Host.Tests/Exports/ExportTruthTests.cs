using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Host.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>
/// A simulated week exported and read back by DuckDB (nothing of ours): the schema is the documented one, and every
/// figure equals what the metrics, report and logged-status APIs answer for the same day and scope.
/// </summary>
[Collection(SimulatedWeekExport.Collection)]
public sealed class ExportTruthTests(SimulatedWeekExport week)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Counts = ["offered", "handled", "abandoned", "reservations", "rejected", "timedOut", "transferred", "shortAbandoned", "answeredInThreshold"];
    private static readonly string[] Durations = ["waitSeconds", "abandonedWaitSeconds", "talkSeconds", "wrapSeconds", "handleSeconds"];
    private static readonly string[] Parts = ["count", "sum", "avg", "max", "p50", "p90"];
    private static readonly string[] Rates = ["rejectRate", "timeoutRate", "transferRate", "abandonRate", "serviceLevel"];

    private static string Snake(string camel) => JsonNamingPolicy.SnakeCaseLower.ConvertName(camel);

    [Fact]
    public void Tables_ReadByDuckDb_HaveTheDocumentedColumnsAndTypes()
    {
        foreach (var table in ExportTables.All)
        {
            var expected = ExportSchema.Columns(table).Where(c => !c.NamesOnly).Select(c => (c.Name, ExportReading.DuckType(c.Type))).ToList();
            Assert.Equal(expected, ExportReading.Schema(week.Root, table));
        }
    }

    [Fact]
    public void Files_ReadByParquetSharp_AreSnappyWithUtcMillisecondTimestamps()
    {
        var file = Directory.GetFiles(Path.Combine(week.Root, ExportTables.Conversations), "*.parquet", SearchOption.AllDirectories).First();
        using var reader = new ParquetSharp.ParquetFileReader(file);
        var metadata = reader.FileMetaData;
        Assert.Equal("1", metadata.KeyValueMetadata["lifeline.schema_version"]);
        var created = metadata.Schema.Column(ExportSchema.Conversations.Where(c => !c.NamesOnly).ToList().FindIndex(c => c.Name == "created_at"));
        var timestamp = Assert.IsType<ParquetSharp.TimestampLogicalType>(created.LogicalType);
        Assert.True(timestamp.IsAdjustedToUtc);
        Assert.Equal(ParquetSharp.TimeUnit.Millis, timestamp.TimeUnit);
        using var group = reader.RowGroup(0);
        for (var c = 0; c < metadata.NumColumns; c++)
        {
            Assert.Equal(ParquetSharp.Compression.Snappy, group.MetaData.GetColumnChunkMetaData(c).Compression);
        }
    }

    [Fact]
    public async Task DailyMetrics_EveryDayAndSupportTypeOfThePlatform_EqualTheMetricsApi()
    {
        using var api = week.Factory.CreateClient();
        var rows = ExportReading.Rows(week.Root, ExportTables.DailyMetrics, "scope = 'platform'");
        Assert.Equal(7, rows.Select(r => r["local_date"]).Distinct().Count());
        for (var day = week.First; day <= week.Last; day = day.AddDays(1))
        {
            var snapshot = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/platforms/digi/metrics?window=day:{ExportReading.Date(day)}", UriKind.Relative), Ct);
            AssertSameSnapshot(snapshot, rows.Where(r => (DateOnly)r["local_date"]! == day).ToList());
        }

        Assert.True(rows.Sum(r => (long)r["offered"]!) > 100, "the week is too quiet to compare");
    }

    [Fact]
    public async Task DailyMetrics_EveryQueueTeamAndWorkerOfADay_EqualTheMetricsApi()
    {
        using var api = week.Factory.CreateClient();
        var day = week.First.AddDays(3);
        var rows = ExportReading.Rows(week.Root, ExportTables.DailyMetrics, $"local_date = DATE '{ExportReading.Date(day)}' AND scope <> 'platform'");
        var scopes = rows.Select(r => ((string)r["scope"]!, (string)r["scope_id"]!)).Distinct().ToList();
        Assert.Contains(scopes, s => s.Item1 == "queue");
        Assert.Contains(scopes, s => s.Item1 == "team");
        Assert.Contains(scopes, s => s.Item1 == "worker");
        foreach (var (scope, id) in scopes)
        {
            var snapshot = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/platforms/digi/{scope}s/{Uri.EscapeDataString(id)}/metrics?window=day:{ExportReading.Date(day)}", UriKind.Relative), Ct);
            AssertSameSnapshot(snapshot, rows.Where(r => (string)r["scope"]! == scope && (string)r["scope_id"]! == id).ToList());
        }
    }

    [Fact]
    public async Task DailyMetrics_EqualTheJsonAndCsvReports()
    {
        using var api = week.Factory.CreateClient();
        var rows = ExportReading.Rows(week.Root, ExportTables.DailyMetrics, "scope = 'platform'");
        var query = $"from={ExportReading.Date(week.First)}&to={ExportReading.Date(week.Last)}&interval=day";
        var report = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/platforms/digi/report?{query}&format=json", UriKind.Relative), Ct);
        Assert.Equal(7, report.GetArrayLength());
        foreach (var snapshot in report.EnumerateArray())
        {
            var day = DateOnly.ParseExact(snapshot.GetProperty("window").GetProperty("name").GetString()!["day:".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            AssertSameSnapshot(snapshot, rows.Where(r => (DateOnly)r["local_date"]! == day).ToList());
        }

        var csv = (await api.GetStringAsync(new Uri($"/api/platforms/digi/report?{query}&format=csv", UriKind.Relative), Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = csv[0].Split(',');
        Assert.Equal(1 + rows.Count, csv.Length);
        foreach (var line in csv.Skip(1))
        {
            var fields = header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            var day = fields["window"]["day:".Length..];
            var row = Assert.Single(rows, r => ExportReading.Date((DateOnly)r["local_date"]!) == day && (string)r["support_type"]! == fields["supportType"]);
            foreach (var column in header.Skip(8))
            {
                var exported = row[Snake(column.Replace('.', '_'))];
                var text = exported switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    long l => l.ToString(CultureInfo.InvariantCulture),
                    _ => throw new InvalidOperationException(column),
                };
                Assert.True(text == fields[column], $"{day} {fields["supportType"]} {column}: csv {fields[column]}, daily_metrics {text}");
            }
        }
    }

    [Fact]
    public async Task ConversationsReservationsEventsAndActivity_AddUpToTheApiAndTheJournal()
    {
        using var api = week.Factory.CreateClient();
        var settings = week.Factory.Services.GetRequiredService<PlatformCatalog>().Get("digi");
        var metrics = ExportReading.Rows(week.Root, ExportTables.DailyMetrics, "scope = 'platform' AND support_type = 'total'")
            .ToDictionary(r => (DateOnly)r["local_date"]!);
        for (var day = week.First; day <= week.Last; day = day.AddDays(1))
        {
            var where = $"local_date = DATE '{ExportReading.Date(day)}'";
            Assert.Equal(metrics[day]["offered"], ExportReading.Scalar(week.Root, ExportTables.Conversations, $"SELECT count(*)::BIGINT FROM t WHERE {where}"));
            Assert.Equal(metrics[day]["reservations"], ExportReading.Scalar(week.Root, ExportTables.Reservations, $"SELECT count(*)::BIGINT FROM t WHERE {where} AND created_at IS NOT NULL"));
            var journaled = week.Events.Count(e => settings.LocalDate(e.Event.TimestampMs) == day);
            Assert.Equal((long)journaled, ExportReading.Scalar(week.Root, ExportTables.Events, $"SELECT count(*)::BIGINT FROM t WHERE {where}"));
        }

        // Logged status of yesterday (the engine keeps agents' timelines two days: an older day's activity journaled
        // now is not booked live, so only the latest days compare): the intervals' seconds per activity.
        var middle = week.Last;
        var status = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/platforms/digi/logged-status?window=day:{ExportReading.Date(middle)}", UriKind.Relative), Ct);
        var seconds = ExportReading.Rows(week.Root, ExportTables.WorkerActivity, $"local_date = DATE '{ExportReading.Date(middle)}'")
            .GroupBy(r => (string)r["activity"]!).ToDictionary(g => g.Key, g => Math.Round(g.Sum(r => (double)r["seconds"]!), 3));
        var expected = status.GetProperty("activities").EnumerateObject().ToDictionary(p => p.Name, p => Math.Round(p.Value.GetProperty("seconds").GetDouble(), 3));
        Assert.Equal(expected.OrderBy(p => p.Key), seconds.OrderBy(p => p.Key));
    }

    [Fact]
    public void Exports_CarryPseudonymsNeverNames()
    {
        var settings = week.Factory.Services.GetRequiredService<PlatformCatalog>().Get("digi");
        var pseudonyms = week.Factory.Services.GetRequiredService<CustomerPseudonyms>();
        var fold = OfflineFold.Run(settings, week.Events.Select(e => e.Event));
        var byTask = fold.Tasks.Values.Select(t => t.Conversation).ToDictionary(c => c.TaskSid, StringComparer.Ordinal);
        var names = byTask.Values.SelectMany(c => new[] { c.CustomerName, c.WorkerName }).Concat(byTask.Values.SelectMany(c => c.Reservations.Select(r => r.WorkerName)))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(names);
        foreach (var table in ExportTables.All)
        {
            foreach (var row in ExportReading.Rows(week.Root, table))
            {
                Assert.DoesNotContain(row.Values.OfType<string>(), names.Contains);
            }
        }

        var rows = ExportReading.Rows(week.Root, ExportTables.Conversations);
        Assert.All(rows, r => Assert.Equal(pseudonyms.Of("digi", byTask[(string)r["task_sid"]!].CustomerIdentity ?? byTask[(string)r["task_sid"]!].CustomerName), r["customer_pseudonym"]));
        Assert.Contains(rows, r => r["customer_pseudonym"] is string p && p.StartsWith("CS-", StringComparison.Ordinal));
    }

    [Fact]
    public void Manifests_ListTheFilesRowsSchemaAndWatermark()
    {
        var watermark = week.Factory.Journal.HighWaterSequence;
        foreach (var table in ExportTables.All)
        {
            for (var day = week.First; day <= week.Last; day = day.AddDays(1))
            {
                var folder = Path.Combine(week.Root, table, "platform=digi", $"date={ExportReading.Date(day)}");
                var manifest = PartitionManifest.Parse(File.ReadAllBytes(Path.Combine(folder, PartitionManifest.FileName)))!;
                Assert.Equal((ExportTables.SchemaVersion, table, "digi", ExportReading.Date(day), watermark, true), (manifest.SchemaVersion, manifest.Table, manifest.Platform, manifest.Date, manifest.JournalWatermark, manifest.Final));
                Assert.Equal(manifest.Files.Select(f => f.Name).Append(PartitionManifest.FileName).Order(StringComparer.Ordinal), Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
                Assert.Equal(manifest.Rows, (long)ExportReading.Scalar(week.Root, table, $"SELECT count(*)::BIGINT FROM t WHERE local_date = DATE '{ExportReading.Date(day)}'")!);
                Assert.Equal(ExportSchema.Columns(table).Where(c => !c.NamesOnly).Select(c => c.Name), manifest.Columns.Select(c => c.Name));
            }
        }
    }

    /// <summary>A metrics snapshot's totals and every support type equal the daily_metrics rows of that scope and day.</summary>
    private static void AssertSameSnapshot(JsonElement snapshot, List<Dictionary<string, object?>> rows)
    {
        var expected = new List<(string, JsonElement)> { ("total", snapshot.GetProperty("totals")) };
        expected.AddRange(snapshot.GetProperty("bySupportType").EnumerateObject().Select(p => (p.Name, p.Value)));
        Assert.Equal(expected.Select(e => e.Item1).Order(StringComparer.Ordinal), rows.Select(r => (string)r["support_type"]!).Order(StringComparer.Ordinal));
        foreach (var (type, values) in expected)
        {
            var row = rows.Single(r => (string)r["support_type"]! == type);
            var where = $"{snapshot.GetProperty("scope").GetString()} {snapshot.GetProperty("id").GetString()} {snapshot.GetProperty("window").GetProperty("name").GetString()} {type}";
            foreach (var count in Counts)
            {
                Assert.True(values.GetProperty(count).GetInt64() == (long)row[Snake(count)]!, $"{where} {count}");
            }

            foreach (var duration in Durations)
            {
                foreach (var part in Parts)
                {
                    var api = values.GetProperty(duration).GetProperty(part);
                    var exported = row[$"{Snake(duration)}_{part}"];
                    object? apiValue = api.ValueKind == JsonValueKind.Null ? null : part == "count" ? (object)api.GetInt64() : api.GetDouble();
                    Assert.True(Equals(apiValue, exported), $"{where} {duration}.{part}: api {apiValue}, export {exported}");
                }
            }

            foreach (var rate in Rates)
            {
                var api = values.GetProperty(rate);
                Assert.True(Equals(api.ValueKind == JsonValueKind.Null ? null : api.GetDouble(), row[Snake(rate)]), $"{where} {rate}");
            }
        }
    }
}
