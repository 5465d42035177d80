using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// The engine's instruments (meter <c>LifelineRealtime</c>) as a dashboard sees them: named <c>lifeline.*</c>, with a
/// unit and a description, and tagged only with a few low-cardinality values (never a Sid, a name or an address).
/// </summary>
public sealed partial class InstrumentTests
{
    // Tag values per key across a simulated day and some bad requests: more than this is not a dimension but an identifier.
    private const int MaxValuesPerTag = 24;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instruments_AfterTraffic_AreNamedWithUnitsAndTaggedWithLowCardinalityOnly()
    {
        await using var factory = new LifelineHostFactory();
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var instruments = new List<Instrument>();
        var tags = new Dictionary<(string Instrument, string Key), HashSet<string>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == "LifelineRealtime")
            {
                lock (instruments)
                {
                    instruments.Add(instrument);
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> measured)
        {
            lock (tags)
            {
                foreach (var (key, value) in measured)
                {
                    if (!tags.TryGetValue((instrument.Name, key), out var values))
                    {
                        tags[(instrument.Name, key)] = values = [];
                    }

                    values.Add(value?.ToString() ?? "");
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((i, _, t, _) => Record(i, t));
        listener.SetMeasurementEventCallback<int>((i, _, t, _) => Record(i, t));
        listener.SetMeasurementEventCallback<double>((i, _, t, _) => Record(i, t));
        listener.Start();
        using var appends = new MetricCollector<long>(meters, "LifelineRealtime", "lifeline.journal.appends");

        // A simulated day journaled and dispatched, webhooks good and bad, the API read.
        var (events, _) = await SimulatedDay.AppendAsync(factory, Ct);
        using var client = factory.CreateClient();
        using (var unsigned = new HttpRequestMessage(HttpMethod.Post, "/webhooks/taskrouter/digi") { Content = new FormUrlEncodedContent([new("EventType", "task.created")]) })
        using (var rejected = await client.SendAsync(unsigned, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
        }

        using (var metrics = await client.GetAsync(new Uri("/api/platforms/digi/metrics?window=day:" + ExportsDate(SimulatedDay.Yesterday), UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        listener.RecordObservableInstruments();

        // The collector reads the journal's counter: every simulated event appended once, as new.
        Assert.Equal(events.Count, appends.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue("outcome", out var o) && (string?)o == "new").Sum(m => m.Value));

        List<Instrument> published;
        lock (instruments)
        {
            published = [.. instruments];
        }

        Assert.Contains(published, i => i.Name == "lifeline.dispatch.events");
        Assert.Contains(published, i => i.Name == "lifeline.ingest.rejected");
        Assert.All(published, i =>
        {
            Assert.Matches(Name(), i.Name);
            Assert.False(string.IsNullOrWhiteSpace(i.Description), $"{i.Name} has no description");
            Assert.True(i.Unit is { } unit && Unit().IsMatch(unit), $"{i.Name} has unit '{i.Unit}', not s, ms, By, 1 or a {{annotation}}");
        });

        lock (tags)
        {
            Assert.NotEmpty(tags);
            foreach (var ((instrument, key), values) in tags)
            {
                Assert.Matches(TagKey(), key);
                Assert.DoesNotMatch(IdentifierKey(), key);
                Assert.True(values.Count <= MaxValuesPerTag, $"{instrument} tag {key} took {values.Count} values: {string.Join(", ", values.Take(10))}…");
                Assert.All(values, v => Assert.DoesNotMatch(Identifier(), v));
            }
        }
    }

    private static string ExportsDate(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^lifeline(\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^(s|ms|By|1|\{[a-z_ ]+\})$")]
    private static partial Regex Unit();

    [GeneratedRegex(@"^[a-z][a-z0-9_.]*$")]
    private static partial Regex TagKey();

    // A key naming a thing rather than a kind: a Sid, an id, a name, an address.
    [GeneratedRegex(@"(^|[._])(sid|id|name|email|address|user)$")]
    private static partial Regex IdentifierKey();

    // A Twilio Sid, an e-mail address or a long number.
    [GeneratedRegex(@"^[A-Z]{2}[0-9a-f]{32}$|@|^\d{6,}$")]
    private static partial Regex Identifier();
}
