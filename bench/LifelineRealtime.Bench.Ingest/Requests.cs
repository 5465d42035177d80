using System.Globalization;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Bench.Ingest;

/// <summary>One pre-built, pre-signed request (building and signing are not part of what is measured).</summary>
internal sealed record PreparedRequest(string PathAndQuery, byte[] Body, string ContentType, string Signature);

internal static class Requests
{
    private const string TemplateSid = "EV000000000000000000000000e0000008";

    /// <summary>Real-sized callbacks (fixture 08, about 2.8 KB) with unique Sids, signed for the digi platform.</summary>
    public static PreparedRequest[] Form(string template, int firstId, int count)
    {
        var fields = TaskRouterEventParser.DecodeForm(template);
        const string path = "/webhooks/taskrouter/digi";
        var url = BenchHost.PublicBaseUrl + path;
        var requests = new PreparedRequest[count];
        for (var i = 0; i < count; i++)
        {
            var sid = Sid(firstId + i);
            fields["Sid"] = sid;
            requests[i] = new PreparedRequest(
                path,
                Encoding.UTF8.GetBytes(template.Replace(TemplateSid, sid, StringComparison.Ordinal)),
                "application/x-www-form-urlencoded",
                TwilioTestSigner.Sign(BenchHost.DigiToken, url, fields));
        }

        return requests;
    }

    public static string FirstCloudEvent(string batchPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(batchPath));
        return document.RootElement[0].GetRawText();
    }

    /// <summary>Event Streams bodies of <paramref name="perBatch"/> CloudEvents each, unique Sids, signed with bodySHA256.</summary>
    public static PreparedRequest[] EventStreams(string cloudEvent, int firstId, int batches, int perBatch)
    {
        var requests = new PreparedRequest[batches];
        var id = firstId;
        for (var b = 0; b < batches; b++)
        {
            var body = new StringBuilder("[");
            for (var i = 0; i < perBatch; i++)
            {
                if (i > 0)
                {
                    body.Append(',');
                }

                body.Append(cloudEvent.Replace(TemplateSid, Sid(id++), StringComparison.Ordinal));
            }

            var bytes = Encoding.UTF8.GetBytes(body.Append(']').ToString());
            var url = TwilioTestSigner.WithBodyHash(BenchHost.PublicBaseUrl + "/webhooks/eventstreams/digi", bytes);
            requests[b] = new PreparedRequest(new Uri(url).PathAndQuery, bytes, "application/json", TwilioTestSigner.Sign(BenchHost.DigiToken, url));
        }

        return requests;
    }

    private static string Sid(int n) => "EV" + n.ToString("x32", CultureInfo.InvariantCulture);
}
