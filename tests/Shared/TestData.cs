namespace LifelineRealtime.Testing;

/// <summary>
/// Where tests put their files: a folder in the test project's build output (under the clone's
/// <c>artifacts/</c>), never the machine's temporary folder, so a run leaves nothing outside the clone.
/// </summary>
internal static class TestData
{
    public static string Root { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "test-data")).FullName;
}
