using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>Re-exports of the simulated week: byte-identical for the same journal; an interrupted one leaves the previous partition whole; admins only.</summary>
[Collection(SimulatedWeekExport.Collection)]
public sealed class ExportReplaceTests(SimulatedWeekExport week)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes, StringComparer.Ordinal);

    [Fact]
    public async Task ReExport_SameJournal_GivesByteIdenticalDataFiles()
    {
        var day = week.First.AddDays(2);
        var folders = ExportTables.All.Select(t => Path.Combine(week.Root, t, "platform=digi", $"date={ExportReading.Date(day)}")).ToList();
        var before = folders.Select(Files).ToList();

        // The week's platform only: the fixture is shared, and its other tests read digi's partitions as the whole export.
        var status = await week.ExportAsync(new { from = ExportReading.Date(day), to = ExportReading.Date(day), platforms = new[] { "digi" } }, Ct);

        Assert.Equal((ExportState.Succeeded, ExportTables.All.Length), (status.State, status.PartitionsDone));
        for (var i = 0; i < folders.Count; i++)
        {
            var after = Files(folders[i]);
            var data = before[i].Keys.Where(k => k.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(data);
            Assert.Equal(data.Order(StringComparer.Ordinal), after.Keys.Where(k => k.EndsWith(".parquet", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.All(data, name => Assert.Equal(before[i][name], after[name]));
        }
    }

    [Fact]
    public async Task ReExport_FailingAfterAFileIsWritten_LeavesThePreviousPartitionWhole()
    {
        var day = week.First.AddDays(4);
        var sink = (FolderExportSink)week.Factory.Services.GetRequiredService<ExportSinks>().Pseudonymous;
        var parent = Path.Combine(week.Root, ExportTables.Events, "platform=digi");
        var folder = Path.Combine(parent, $"date={ExportReading.Date(day)}");
        var before = Files(folder);
        var written = 0;
        sink.AfterFileWritten = _ =>
        {
            written++;
            throw new IOException("the disk is full (injected)");
        };
        ExportStatus status;
        try
        {
            status = await week.ExportAsync(new { from = ExportReading.Date(day), to = ExportReading.Date(day), tables = new[] { "events" } }, Ct);
        }
        finally
        {
            sink.AfterFileWritten = null;
        }

        Assert.Equal(1, written);
        Assert.Equal((ExportState.Failed, 0, 2), (status.State, status.PartitionsDone, status.PartitionsTotal));
        Assert.Contains("injected", status.Error, StringComparison.Ordinal);
        var after = Files(folder);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, f => Assert.Equal(f.Value, after[f.Key]));
        Assert.DoesNotContain(Directory.GetDirectories(parent), d => Path.GetFileName(d).StartsWith("_tmp-", StringComparison.Ordinal));
        Assert.Equal(PartitionManifest.Parse(before[PartitionManifest.FileName])!.Rows,
            (long)ExportReading.Scalar(week.Root, ExportTables.Events, $"SELECT count(*)::BIGINT FROM t WHERE local_date = DATE '{ExportReading.Date(day)}'")!);
    }

    [Theory]
    [InlineData(Roles.DataAnalyst)]
    [InlineData(Roles.FullAccess)]
    [InlineData(Roles.TeamLeader)]
    public async Task Exports_OtherRoles_AreForbidden(string role)
    {
        using var api = week.Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue([role], ["digi", "ciss"], ["Team 1"]));
        using var post = await api.PostAsJsonAsync(new Uri("/api/admin/exports", UriKind.Relative), new { from = "2026-01-01", to = "2026-01-01" }, Ct);
        using var get = await api.GetAsync(new Uri("/api/admin/exports/0123456789abcdef", UriKind.Relative), Ct);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (post.StatusCode, get.StatusCode));
    }

    [Fact]
    public async Task Exports_Anonymous_IsUnauthorized()
    {
        using var api = week.Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = null;
        using var post = await api.PostAsJsonAsync(new Uri("/api/admin/exports", UriKind.Relative), new { from = "2026-01-01", to = "2026-01-01" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Theory]
    [InlineData("""{"to":"2026-01-02"}""", "from")]
    [InlineData("""{"from":"2026-13-01","to":"2026-01-02"}""", "from")]
    [InlineData("""{"from":"2026-01-02","to":"yesterday"}""", "to")]
    [InlineData("""{"from":"2026-01-02","to":"2026-01-01"}""", "to")]
    [InlineData("""{"from":"2024-01-01","to":"2026-01-01"}""", "to")]
    [InlineData("""{"from":"2026-01-01","to":"2026-01-01","tables":["conversations","calls"]}""", "tables")]
    [InlineData("""{"from":"2026-01-01","to":"2026-01-01","platforms":["nope"]}""", "platforms")]
    public async Task Exports_BadRequest_Is400NamingTheField(string body, string field)
    {
        using var api = week.Factory.CreateClient();
        using var content = new StringContent(body, new MediaTypeHeaderValue("application/json"));
        using var response = await api.PostAsync(new Uri("/api/admin/exports", UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Exports_UnknownId_Is404()
    {
        using var api = week.Factory.CreateClient();
        using var response = await api.GetAsync(new Uri("/api/admin/exports/0123456789abcdef", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
