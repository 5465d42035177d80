using System.Globalization;
using System.Text;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Simulator;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>Builds webhook requests as Twilio would send them.</summary>
internal static class WebhookRequests
{
    public static HttpRequestMessage Form(string pathAndQuery, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return request;
    }

    public static HttpRequestMessage FormFixture(string name) =>
        Form(Fixtures.PathAndQuery(name), Fixtures.Text(name), Fixtures.Signature(name));

    public static HttpRequestMessage Json(string pathAndQuery, byte[] body, string? signature)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = content };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return request;
    }

    /// <summary>A simulated callback, signed with its platform's token as Twilio would.</summary>
    public static HttpRequestMessage Simulated(string platformId, string form, string token)
    {
        var path = "/webhooks/taskrouter/" + platformId;
        return Form(path, form, TwilioSignature.ComputeForForm(token, TestPlatforms.PublicBaseUrl + path, form));
    }

    /// <summary>A digi callback signed with the fixture token, built from fields.</summary>
    public static HttpRequestMessage SignedForm(Dictionary<string, string> fields, string platform = "digi", string token = TestPlatforms.DigiToken)
    {
        var url = $"{TestPlatforms.PublicBaseUrl}/webhooks/taskrouter/{platform}";
        return Form(new Uri(url).PathAndQuery, TwilioTestSigner.FormBody(fields), TwilioTestSigner.Sign(token, url, fields));
    }

    /// <summary>The minimal fields of a digi task event with a chosen Sid.</summary>
    public static Dictionary<string, string> DigiTaskFields(int n, string eventType = "task.created") => new(StringComparer.Ordinal)
    {
        ["Sid"] = "EV" + n.ToString("x32", CultureInfo.InvariantCulture),
        ["EventType"] = eventType,
        ["AccountSid"] = TestPlatforms.DigiAccount,
        ["WorkspaceSid"] = TestPlatforms.DigiWorkspace,
        ["TimestampMs"] = (1_795_474_800_000L + n).ToString(CultureInfo.InvariantCulture),
        ["TaskSid"] = "WT" + n.ToString("x32", CultureInfo.InvariantCulture),
        ["TaskAttributes"] = "{\"supportType\":\"imminent\"}",
    };
}
