namespace LifelineRealtime.Deploy.Tests;

/// <summary>Files of the repository under test, found from the test binary upwards.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LifelineRealtime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"LifelineRealtime.sln not found above {AppContext.BaseDirectory}");
    }
}
