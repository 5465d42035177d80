using System.Text.Json;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>The Twilio payload fixtures and their recorded signatures (payloads/signatures.json).</summary>
internal static class Fixtures
{
    private static readonly Lazy<JsonElement> Signatures = new(() =>
        JsonDocument.Parse(File.ReadAllText(PathOf("signatures.json"))).RootElement.Clone());

    public static IEnumerable<string> FormNames =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio"), "*.form").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string Url(string name) => Signatures.Value.GetProperty(name).GetProperty("url").GetString()!;

    public static string Token(string name) => Signatures.Value.GetProperty(name).GetProperty("authToken").GetString()!;

    public static string Signature(string name) => Signatures.Value.GetProperty(name).GetProperty("signature").GetString()!;

    public static string SignatureWithPort(string name) => Signatures.Value.GetProperty(name).GetProperty("signatureIfUrlHadPort443").GetString()!;

    /// <summary>The request path of the fixture's URL (what to post to a test host).</summary>
    public static string PathAndQuery(string name) => new Uri(Url(name)).PathAndQuery;
}
