using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LifelineRealtime.Deploy.Tests;

/// <summary>No container engine runs in CI: the Dockerfile's load-bearing lines are checked as text.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepositoryPaths.Combine("deploy", "Dockerfile"))
        .Where(l => !l.TrimStart().StartsWith('#'))
        .ToArray();

    private static readonly string Text = string.Join('\n', Lines);

    [Fact]
    public void Dockerfile_Stages_BuildOnTheSdkAndRunOnAspNet10()
    {
        Assert.Equal(
            ["FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime"],
            Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dockerfile_Publish_IsReleaseOfTheHostProject()
    {
        Assert.Matches(@"dotnet publish src/LifelineRealtime\.Host/LifelineRealtime\.Host\.csproj \\\n\s+-c Release", Text);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"LifelineRealtime.Host.dll\"]", Lines);
    }

    [Fact]
    public void Dockerfile_Restore_CopiesEveryProjectTheHostReferencesBeforeTheSources()
    {
        var restoreLine = Array.FindIndex(Lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var copiedProjects = Lines.Take(restoreLine)
            .Select(l => CopyProjectPattern().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups["path"].Value)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(restoreLine > 0, "no `RUN dotnet restore` line");
        Assert.Equal(ProjectClosure("src/LifelineRealtime.Host/LifelineRealtime.Host.csproj"), copiedProjects);
        Assert.True(Array.FindIndex(Lines, l => l == "COPY src/ src/") > restoreLine, "sources must be copied after the restore layer");
    }

    [Fact]
    public void Dockerfile_Runtime_IsNonRootOnPort8080WithDataVolume()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToArray();
        var joined = string.Join('\n', runtime);

        Assert.Equal(["USER $APP_UID"], runtime.Where(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Contains("EXPOSE 8080 9464", runtime);
        Assert.Contains("VOLUME /data", runtime);
        Assert.Contains("ENV ASPNETCORE_URLS=http://+:8080", joined, StringComparison.Ordinal);
        Assert.Contains("Lifeline__Storage__Path=/data/lifeline.db", joined, StringComparison.Ordinal);
        Assert.Contains("chown \"$APP_UID:$APP_UID\" /data", joined, StringComparison.Ordinal);
        // The journal holds names: a Docker volume made from the image's /data is the app user's alone.
        Assert.Contains("chmod 0700 /data", joined, StringComparison.Ordinal);
        Assert.DoesNotContain(runtime, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_Runtime_RefusesABaseImageWithoutSydneyTimeZoneOrIcu()
    {
        Assert.Contains("test -f /usr/share/zoneinfo/Australia/Sydney", Text, StringComparison.Ordinal);
        Assert.Contains("ldconfig -p | grep -q libicuuc", Text, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerIgnore_ExcludesBuildOutputDataAndGit()
    {
        var entries = File.ReadAllLines(RepositoryPaths.Combine(".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["**/artifacts/", "**/bin/", "**/obj/", "**/node_modules/", "**/data/", ".git/"]), entries);
    }

    /// <summary>The project and everything it references, transitively, as repository-relative paths.</summary>
    private static string[] ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(RepositoryPaths.Combine(current))!;
            foreach (var reference in XDocument.Load(RepositoryPaths.Combine(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/'));
            }
        }

        return [.. seen];
    }

    [GeneratedRegex(@"^COPY (?<path>\S+\.csproj) \S+/$")]
    private static partial Regex CopyProjectPattern();
}
