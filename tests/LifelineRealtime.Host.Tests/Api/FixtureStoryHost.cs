using System.Net;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Host.Tests.Api;

/// <summary>
/// The real host on a fake clock (2026-11-24 10:30 AEDT, after the fixture story), fed every signed form
/// fixture through the webhook, and read only once the dispatcher has delivered all of it to the grains.
/// The API tests only read, so one host serves the whole collection.
/// </summary>
public sealed class FixtureStoryHost : IAsyncLifetime
{
    public const string Collection = "fixture story host";

    /// <summary>2026-11-24T10:30:00 AEDT = 2026-11-23T23:30:00Z.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_476_600_000);

    private LifelineHostFactory _factory = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _factory = new LifelineHostFactory(services: services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        Client = _factory.CreateClient();
        foreach (var name in Fixtures.FormNames)
        {
            using var request = WebhookRequests.FormFixture(name);
            using var response = await Client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"{name} answered {(int)response.StatusCode}");
            }
        }

        var dispatcher = _factory.Services.GetRequiredService<JournalDispatcher>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await dispatcher.WaitForDispatchAsync(_factory.Journal.HighWaterSequence, timeout.Token);
    }

    public async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(string url)
    {
        using var response = await Client.GetAsync(url, TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>A client of this host signed in with <paramref name="token"/> (a bearer JWT or a kiosk token).</summary>
    public HttpClient CreateClient(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(token.StartsWith("llk_", StringComparison.Ordinal) ? "Kiosk" : "Bearer", token);
        return client;
    }

    /// <summary>The audit log's lines of one action, oldest first.</summary>
    public async Task<IReadOnlyList<LifelineRealtime.Storage.Access.AuditEntry>> AuditAsync(string action) =>
        await _factory.Services.GetRequiredService<LifelineRealtime.Storage.Access.IAuditLog>().QueryAsync(new LifelineRealtime.Storage.Access.AuditQuery(Action: action), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}

[CollectionDefinition(FixtureStoryHost.Collection)]
public sealed class FixtureStoryHostCollection : ICollectionFixture<FixtureStoryHost>;
