using System.Diagnostics;
using System.Globalization;
using System.Text;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using Twilio.Security;

namespace LifelineRealtime.Bench.Ingest;

/// <summary>Single-thread CPU cost per event of the steps ingest adds to a bare request: decode, verify, parse.</summary>
internal static class CpuCost
{
    public static void Print(PreparedRequest[] requests, int count)
    {
        count = Math.Min(count, requests.Length);
        var bodies = new string[count];
        for (var i = 0; i < count; i++)
        {
            bodies[i] = Encoding.UTF8.GetString(requests[i].Body);
        }

        var validator = new RequestValidator(BenchHost.DigiToken);
        var url = BenchHost.PublicBaseUrl + "/webhooks/taskrouter/digi";
        var fields = new Dictionary<string, string>[count];

        var decode = Time(count, i => fields[i] = TaskRouterEventParser.DecodeForm(bodies[i]));
        var verify = Time(count, i =>
        {
            if (!validator.Validate(url, fields[i], requests[i].Signature))
            {
                throw new InvalidOperationException("signature");
            }
        });
        var parse = Time(count, i =>
        {
            if (!TaskRouterEventParser.ParseForm(fields[i]).IsSuccess)
            {
                throw new InvalidOperationException("parse");
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per form event, one thread: decode {decode:0.0} us, verify (RequestValidator) {verify:0.0} us, parse {parse:0.0} us"));
    }

    public static void PrintEventStreams(PreparedRequest[] batches, int eventsPerBatch)
    {
        var parse = Time(batches.Length, i =>
        {
            if (!TaskRouterEventParser.ParseEventStreams(batches[i].Body).IsSuccess)
            {
                throw new InvalidOperationException("parse");
            }
        }) / eventsPerBatch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per Event Streams event, one thread: parse {parse:0.0} us"));
    }

    private static double Time(int count, Action<int> step)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            step(i);
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / count;
    }
}
