namespace LifelineRealtime.Host.Tests.Support;

internal static class Repository
{
    /// <summary>The folder holding LifelineRealtime.sln, found by walking up from the test's output.</summary>
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "LifelineRealtime.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("LifelineRealtime.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
