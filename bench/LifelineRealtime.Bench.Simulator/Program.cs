using System.Diagnostics;
using LifelineRealtime.Simulator;

// One thread, Release, in memory: a busy day of two platforms generated, then the same forms
// re-encoded from their fields as the baseline (the bare cost of writing that many bodies).
var options = Options(workers: 120, peakArrivalsPerHour: 600);
var start = new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);

// Warm-up, so the JIT has tiered up before anything is measured.
var warm = new TrafficSimulation(Options(workers: 24, peakArrivalsPerHour: 30), start).Events().ToList();
Encode([.. warm.Select(e => FormBody.Decode(e.Form))]);

List<SimulatedEvent> events = [];
var generation = Measure("generate a day (decisions, forms, ground truth)", () =>
{
    var simulation = new TrafficSimulation(options, start);
    events = simulation.Events().ToList();
    return events.Count;
});
var decoded = events.Select(e => FormBody.Decode(e.Form)).ToList();
var baseline = Measure("baseline: encode the same forms from their fields", () => Encode(decoded));
var signing = Measure("sign every form (HMAC-SHA1 over URL + sorted fields)", () =>
{
    foreach (var e in events)
    {
        TwilioSignature.ComputeForForm("token", "http://localhost:5000/webhooks/taskrouter/" + e.PlatformId, e.Form);
    }

    return events.Count;
});

Console.WriteLine();
Console.WriteLine($"events: {events.Count:N0}, tasks: {events.Count(e => e.Form.Contains("EventType=task.created&", StringComparison.Ordinal)):N0}, form bytes: {events.Sum(e => (long)e.Form.Length):N0}");
Console.WriteLine($"generation / baseline time ratio: {generation / baseline:F2}x");
Console.WriteLine($"signing / baseline time ratio: {signing / baseline:F2}x");

static int Encode(List<IReadOnlyList<KeyValuePair<string, string>>> forms)
{
    var bytes = 0L;
    foreach (var f in forms)
    {
        bytes += FormBody.Encode(f).Length;
    }

    return bytes > 0 ? forms.Count : 0;
}

static double Measure(string name, Func<int> run)
{
    var best = double.MaxValue;
    var count = 0;
    for (var i = 0; i < 3; i++)
    {
        var sw = Stopwatch.StartNew();
        count = run();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }

    Console.WriteLine($"{name}: best of 3 {best * 1000:F0} ms, {count / best:N0} events/s");
    return best;
}

static SimulatorOptions Options(int workers, double peakArrivalsPerHour) => new()
{
    Seed = 42,
    Workers = workers,
    Teams = 10,
    PeakArrivalsPerHour = peakArrivalsPerHour,
    Platforms =
    [
        new() { Id = "ciss", Name = "CISS Central", Channel = "voice", AccountSid = "AC0000000000000000000000000000c155", WorkspaceSid = "WS0000000000000000000000000000c155", AuthToken = "t", SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support"] },
        new() { Id = "digi", Name = "DIGI Central", Channel = "chat", AccountSid = "AC0000000000000000000000000000d161", WorkspaceSid = "WS0000000000000000000000000000d161", AuthToken = "t", SupportTypes = ["check_in", "check_out", "debrief", "imminent", "safety", "support", "technical_support"] },
    ],
};
