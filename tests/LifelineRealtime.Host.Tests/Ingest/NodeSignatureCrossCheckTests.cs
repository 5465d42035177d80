using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Host.Ingest;
using LifelineRealtime.Host.Options;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Ingest;

/// <summary>
/// Cross-checks our verifier against Twilio's Node library (npm <c>twilio</c> 6.2.0, installed at the
/// repository root by <c>npm ci</c>): for every case both must agree on validity, and we must accept the
/// signature Node computes.
/// </summary>
public sealed class NodeSignatureCrossCheckTests
{
    // BodyMatchesHash is false when a JSON body was changed after signing: then no URL signature may pass.
    private sealed record SignatureCase(string Kind, string Token, string Url, Dictionary<string, string>? Params, string? Body, string Signature, bool BodyMatchesHash = true);

    private sealed record NodeResult(string Expected, bool Valid);

    [Fact]
    public async Task TwilioNode_SameInputs_AgreesWithOurVerifier()
    {
        var cases = Cases();

        var node = await RunNodeAsync(cases);

        Assert.Equal(cases.Count, node.Count);
        var verifier = new TwilioSignatureVerifier(Microsoft.Extensions.Options.Options.Create(new LifelineOptions()));
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var platform = new PlatformOptions { Id = "p-" + c.Token, AuthToken = c.Token };
            bool Ours(string signature) => c.Kind == "json"
                ? verifier.VerifyJson(platform, c.Url, c.Body!, signature)
                : verifier.VerifyForm(platform, c.Url, c.Params!, signature);

            Assert.True(node[i].Valid == Ours(c.Signature), $"case {i} ({c.Url}): node says {node[i].Valid}");
            Assert.True(Ours(node[i].Expected) == c.BodyMatchesHash, $"case {i} ({c.Url}): node's own signature gives {!c.BodyMatchesHash} with us");
        }

        Assert.Equal(19, node.Count(r => r.Valid));
        Assert.Equal(cases.Count - 19, node.Count(r => !r.Valid));
    }

    private static List<SignatureCase> Cases()
    {
        var cases = new List<SignatureCase>();
        foreach (var name in Fixtures.FormNames)
        {
            var fields = TaskRouterEventParser.DecodeForm(Fixtures.Text(name));
            cases.Add(new("form", Fixtures.Token(name), Fixtures.Url(name), fields, null, Fixtures.Signature(name)));
        }

        const string batch = "20-eventstreams-batch.json";
        cases.Add(new("json", Fixtures.Token(batch), Fixtures.Url(batch), null, Encoding.UTF8.GetString(Fixtures.Bytes(batch)), Fixtures.Signature(batch)));

        var vector1 = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["EventType"] = "task.created",
            ["Sid"] = "EV00000000000000000000000000000001",
            ["TaskSid"] = "WT00000000000000000000000000000001",
        };
        cases.Add(new("form", "secret", "https://example.org/tr", vector1, null, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));
        cases.Add(new("form", "secret", "https://example.org/tr", vector1, null, "rQ/kXPIuUdLVR9Th/mnMIYj28rU="));
        cases.Add(new("json", "12345", "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620", null, """{"property": "value", "boolean": true}""", "a9nBmqA0ju/hNViExpshrM61xv4="));

        // Awkward characters: spaces, plus signs, ampersands, equals, non-ASCII, and an empty value.
        var awkward = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TaskAttributes"] = "{\"name\":\"Zoë O'Brien & co\",\"q\":\"a=b+c\"}",
            ["WorkerName"] = "rangi+test@example.org",
            ["TaskCanceledReason"] = "",
            ["a"] = "lower-case name sorts after upper-case ones",
        };
        const string awkwardUrl = "https://lifeline.example.org/webhooks/taskrouter/digi?x=1%202";
        cases.Add(new("form", TestPlatforms.DigiToken, awkwardUrl, awkward, null, TwilioTestSigner.Sign(TestPlatforms.DigiToken, awkwardUrl, awkward)));

        // Refusals: a changed value, another account's token, another URL, a changed JSON body.
        var tampered = TaskRouterEventParser.DecodeForm(Fixtures.Text("08-reservation.accepted.form"));
        tampered["TaskAge"] = "50";
        cases.Add(new("form", TestPlatforms.DigiToken, Fixtures.Url("08-reservation.accepted.form"), tampered, null, Fixtures.Signature("08-reservation.accepted.form")));
        cases.Add(new("form", TestPlatforms.CissToken, "https://example.org/tr", vector1, null, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));
        cases.Add(new("form", "secret", "https://example.org/tr2", vector1, null, "ag13UtEIGZ5KzU4DZkI6v1lqQpw="));
        cases.Add(new("json", "12345", "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620", null, """{"property": "value", "boolean": false}""", "a9nBmqA0ju/hNViExpshrM61xv4=", BodyMatchesHash: false));
        return cases;
    }

    private static async Task<List<NodeResult>> RunNodeAsync(List<SignatureCase> cases)
    {
        var root = Repository.Root;
        var nodeModules = Path.Combine(root, "node_modules");
        if (!File.Exists(Path.Combine(nodeModules, "twilio", "package.json")))
        {
            Assert.Fail($"npm package 'twilio' is missing under {nodeModules}: run `npm ci` at the repository root.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "node", "twilio-signatures.js"));
        start.ArgumentList.Add(nodeModules);

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail("`node` could not be started (install Node.js 20 or later): " + e.Message);
            throw;
        }

        using (process)
        {
            var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(cases, options));
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, "node failed: " + await error);
            return JsonSerializer.Deserialize<List<NodeResult>>(await output, options)!;
        }
    }
}
