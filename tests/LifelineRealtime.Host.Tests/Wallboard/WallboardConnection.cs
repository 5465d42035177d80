using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Wallboard;

/// <summary>One message a wallboard connection received, in arrival order.</summary>
internal sealed record WallboardMessage(string Kind, object Payload)
{
    public MetricsSnapshot Metrics => (MetricsSnapshot)Payload;

    public LiveSnapshot Live => (LiveSnapshot)Payload;

    public Alert Alert => (Alert)Payload;
}

/// <summary>The real SignalR .NET client over the test server's WebSockets, recording every message in order.</summary>
internal sealed class WallboardConnection : IAsyncDisposable
{
    private readonly Channel<WallboardMessage> _messages = Channel.CreateUnbounded<WallboardMessage>();

    private WallboardConnection(HubConnection connection)
    {
        Hub = connection;
        connection.On<MetricsSnapshot>("Snapshot", m => Write("Snapshot", m));
        connection.On<MetricsSnapshot>("Updated", m => Write("Updated", m));
        connection.On<LiveSnapshot>("LiveChanged", m => Write("LiveChanged", m));
        connection.On<Alert>("Alert", m => Write("Alert", m));
    }

    public HubConnection Hub { get; }

    /// <summary>Connects as an admin, or with <paramref name="token"/> (empty: no token at all).</summary>
    public static async Task<WallboardConnection> ConnectAsync(LifelineHostFactory factory, CancellationToken cancellationToken, string? token = null)
    {
        var server = factory.Server;
        var bearer = token ?? TestTokens.Admin;
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, WallboardHubPath), options =>
            {
                if (bearer.Length > 0)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
                }

                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions = new JsonSerializerOptions(LifelineJson.Options))
            .Build();
        var connection = new WallboardConnection(hub);
        await hub.StartAsync(cancellationToken);
        return connection;
    }

    public const string WallboardHubPath = "/hubs/wallboard";

    public Task SubscribeAsync(string platform, string scope, string id, string window, CancellationToken cancellationToken) =>
        Hub.InvokeAsync("Subscribe", platform, scope, id, window, cancellationToken);

    public Task UnsubscribeAsync(string platform, string scope, string id, string window, CancellationToken cancellationToken) =>
        Hub.InvokeAsync("Unsubscribe", platform, scope, id, window, cancellationToken);

    /// <summary>The next message, or a failed test after 30 s (a generous bound, not a timing assertion).</summary>
    public async Task<WallboardMessage> NextAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await _messages.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next message of a kind, skipping (and returning) the others on the way.</summary>
    public async Task<(WallboardMessage Message, List<WallboardMessage> Skipped)> NextOfKindAsync(string kind, CancellationToken cancellationToken)
    {
        var skipped = new List<WallboardMessage>();
        while (true)
        {
            var message = await NextAsync(cancellationToken);
            if (message.Kind == kind)
            {
                return (message, skipped);
            }

            skipped.Add(message);
        }
    }

    /// <summary>Messages already received and not yet read.</summary>
    public List<WallboardMessage> Drain()
    {
        var list = new List<WallboardMessage>();
        while (_messages.Reader.TryRead(out var message))
        {
            list.Add(message);
        }

        return list;
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();

    private void Write(string kind, object payload) => _messages.Writer.TryWrite(new WallboardMessage(kind, payload));
}

/// <summary>Digi task events appended to the host's journal, as the webhooks would have committed them.</summary>
internal static class WallboardIngest
{
    /// <summary>2026-11-24 09:20:00 AEDT: the first generated event's time.</summary>
    public const long T0 = 1_795_474_800_000L;

    public static Dictionary<string, string> Fields(int n, string eventType, long timeMs, string supportType = "imminent")
    {
        var fields = WebhookRequests.DigiTaskFields(n, eventType);
        fields["Sid"] = "EV" + (eventType.GetHashCode(StringComparison.Ordinal) & 0xffff).ToString("x4", CultureInfo.InvariantCulture) + n.ToString("x28", CultureInfo.InvariantCulture);
        fields["TimestampMs"] = timeMs.ToString(CultureInfo.InvariantCulture);
        fields["TaskAttributes"] = $"{{\"supportType\":\"{supportType}\"}}";
        return fields;
    }

    public static async Task AppendAndDispatchAsync(LifelineHostFactory factory, IEnumerable<Dictionary<string, string>> events, CancellationToken cancellationToken)
    {
        var entries = events.Select(fields =>
        {
            var body = TwilioTestSigner.FormBody(fields);
            var parsed = TaskRouterEventParser.ParseFormBody(body);
            return new JournalEntry("digi", parsed.Event ?? throw new InvalidOperationException("unparsable event"), JournalWireFormat.Form, body);
        }).ToList();
        var results = await factory.Journal.AppendAsync(entries);
        // Bounded, so a dispatcher that stalls fails the test that stalled it instead of holding up the whole run.
        await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(results.Max(r => r.Sequence), cancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
    }
}
