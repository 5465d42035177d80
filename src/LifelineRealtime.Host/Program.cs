using LifelineRealtime.Host;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Audit;
using LifelineRealtime.Host.Access.Kiosk;
using LifelineRealtime.Host.Admin;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.Backfill;
using LifelineRealtime.Host.Conversations;
using LifelineRealtime.Host.Conversations.Transcripts;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Health;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Journal;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Pages;
using LifelineRealtime.Host.Reconciliation;
using LifelineRealtime.Host.Tasks;
using LifelineRealtime.Host.TaskRouterRest;
using LifelineRealtime.Host.Telemetry;
using LifelineRealtime.Host.Wallboard;

var builder = WebApplication.CreateBuilder(args);
if ((StartupChecks.BusyPort(builder.Configuration) ?? StartupChecks.JournalInUse(builder.Configuration, builder.Environment.ContentRootPath)) is { } refusal)
{
    // One line instead of a stack trace, before anything is opened.
    Console.Error.WriteLine(refusal);
    return 2;
}

builder.AddLifelineOptions();
builder.AddEventJournal();
builder.AddTaskRouterIngest();
builder.AddLifelineSilo();
builder.AddLifelineAccess();
builder.AddMetricsApi();
builder.AddConversations();
builder.AddTranscripts();
builder.AddTaskRouterRest();
builder.AddTaskActions();
builder.AddReconciliation();
builder.AddBackfill();
builder.AddExports();
builder.AddEmbeddedSimulator(args);
builder.AddWallboardHub();
builder.AddLifelinePages();
builder.AddEngineHealth();
builder.AddLifelineTelemetry();
builder.Services.AddHostedService<StartupSummary>();

var app = builder.Build();
if (StartupChecks.SettingsRefusal(app.Services) is { } settingsRefusal)
{
    Console.Error.WriteLine(settingsRefusal);
    return 2;
}

app.UseTrustedForwardedHeaders();
app.UseLifelineTelemetry();
app.UseLifelineAssets();
app.UseLifelineAccess();
LocalSignIn.MapLocalSignIn(app);
app.MapBrowserSignIn();
app.MapTaskRouterWebhooks();
app.MapMetricsApi();
app.MapConversations();
app.MapTranscripts();
app.MapTasks();
app.MapTaskActions();
app.MapReconciliation();
app.MapExports();
app.MapEngineHealth();
app.MapLifelineTelemetry();
app.MapOrleansDashboardForAdmins();
app.MapEngineStatus();
app.MapQuarantineAdmin();
app.MapBackfill();
app.MapKioskTokens();
app.MapAuditLog();
app.MapWallboardHub();
app.MapLifelinePages();

try
{
    app.Run();
}
catch (Exception e) when (StartupChecks.Explain(e) is { } reason)
{
    Console.Error.WriteLine(reason);
    return 2;
}

return 0;

/// <summary>Entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can reach it.</summary>
public partial class Program;
