using System.Net;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Storage.Journal;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Ingest;

public static class TaskRouterIngestExtensions
{
    /// <summary>Registers the webhook pipeline: platforms, signature verification, instruments and forwarded-header trust.</summary>
    public static IHostApplicationBuilder AddTaskRouterIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMetrics();
        services.AddProblemDetails();
        services.AddSingleton<TwilioSignatureVerifier>();
        services.AddSingleton<IngestInstruments>();
        services.AddSingleton<WebhookReceiver>();
        services.AddSingleton<WebhookArrivals>();
        // One window for ingest and the dispatcher: what ingest refuses, the dispatcher sets aside if it is
        // already in the journal.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LifelineOptions>>().Value.Ingest.ToEventTimeWindow());

        // Read through options, not builder.Configuration: sources added after this call (tests, hosting
        // layers) must count too.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<LifelineOptions>>((forwarded, lifeline) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
            // Only the configured proxies are believed; the default loopback entries are dropped.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // The obsolete list still holds 127.0.0.0/8 by default and the middleware still reads it.
#pragma warning disable ASPDEPR005
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in lifeline.Value.Ingest.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }
        });
        return builder;
    }

    /// <summary>
    /// Believes <c>X-Forwarded-Proto</c>/<c>-Host</c>/<c>-Prefix</c> from trusted proxies only, so the
    /// signature is checked against the URL Twilio called. Does nothing when no proxy is trusted.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // With no proxy listed the middleware would trust every peer, so it is only added when one is.
        if (app.Services.GetRequiredService<IOptions<LifelineOptions>>().Value.Ingest.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>
    /// <c>POST /webhooks/taskrouter/{platformId}</c> (workspace callbacks, form) and
    /// <c>POST /webhooks/eventstreams/{platformId}</c> (Event Streams webhook sink, CloudEvents JSON).
    /// </summary>
    public static IEndpointRouteBuilder MapTaskRouterWebhooks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Anonymous: Twilio signs each request, and the receiver checks the signature.
        var webhooks = endpoints.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous();
        Describe(webhooks.MapPost("/taskrouter/{platformId}", ReceiveCallback).DisableAntiforgery()
            .WithSummary("A TaskRouter workspace event callback (form), signed with the platform's auth token."));
        Describe(webhooks.MapPost("/eventstreams/{platformId}", ReceiveEventStreams).DisableAntiforgery()
            .WithSummary("An Event Streams webhook sink delivery (a CloudEvents JSON array), signed with the platform's auth token."));
        return endpoints;
    }

    /// <summary>What a webhook answers (docs/ingest.md): 204 once journaled, else a problem and nothing journaled.</summary>
    private static void Describe(RouteHandlerBuilder webhook) => webhook
        .Produces(StatusCodes.Status204NoContent)
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static Task<IResult> ReceiveCallback(string platformId, HttpContext context, WebhookReceiver receiver) =>
        receiver.ReceiveAsync(platformId, context, JournalWireFormat.Form);

    private static Task<IResult> ReceiveEventStreams(string platformId, HttpContext context, WebhookReceiver receiver) =>
        receiver.ReceiveAsync(platformId, context, JournalWireFormat.EventStreams);
}
