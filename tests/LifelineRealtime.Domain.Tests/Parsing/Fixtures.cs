namespace LifelineRealtime.Domain.Tests.Parsing;

/// <summary>The Twilio payload fixtures copied to the test output (tests/fixtures/twilio).</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio");

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));
}
