using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>The committed browser libraries are exactly what package-lock.json installs, and the pages stay small.</summary>
public sealed class PageAssetTests
{
    private static string WebRoot => Path.Combine(Repository.Root, "src", "LifelineRealtime.Host", "wwwroot");

    [Theory]
    [InlineData("lib/signalr.min.js", "@microsoft/signalr/dist/browser/signalr.min.js")]
    [InlineData("lib/uPlot.iife.min.js", "uplot/dist/uPlot.iife.min.js")]
    [InlineData("lib/uPlot.min.css", "uplot/dist/uPlot.min.css")]
    public void VendoredLibrary_IsByteIdenticalToTheLockedNpmPackage(string committed, string installed)
    {
        var npm = Path.Combine(Repository.Root, "node_modules", installed);
        Assert.True(File.Exists(npm), $"{npm} is missing: run npm ci");
        Assert.Equal(File.ReadAllBytes(npm), File.ReadAllBytes(Path.Combine(WebRoot, committed)));
    }

    [Fact]
    public void PageScriptsAndStyles_AreUnder300KilobytesUncompressed()
    {
        var files = Directory.EnumerateFiles(WebRoot, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal)).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Assert.Contains(files, f => f.EndsWith("signalr.min.js", StringComparison.Ordinal));
        Assert.True(bytes < 300 * 1024, $"{bytes} bytes in {files.Count} files");
    }
}
