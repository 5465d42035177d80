using LifelineRealtime.Host;
using LifelineRealtime.Host.Admin;
using LifelineRealtime.Host.Api;
using LifelineRealtime.Host.Health;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Journal;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Wallboard;
using LifelineRealtime.Simulator.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddLifelineOptions();
builder.AddEventJournal();
builder.AddTaskRouterIngest();
builder.AddLifelineSilo();
builder.AddMetricsApi();
builder.AddLifelineSimulator(args);
builder.AddWallboardHub();
builder.AddEngineHealth();

var app = builder.Build();

app.UseTrustedForwardedHeaders();
app.MapTaskRouterWebhooks();
app.MapMetricsApi();
app.MapEngineHealth();
app.MapEngineStatus();
app.MapQuarantineAdmin();
app.MapWallboardHub();

app.Run();

/// <summary>Entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can reach it.</summary>
public partial class Program;
