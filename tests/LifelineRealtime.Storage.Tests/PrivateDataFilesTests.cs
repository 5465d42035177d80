using LifelineRealtime.Testing;

namespace LifelineRealtime.Storage.Tests;

/// <summary>
/// The journal holds names: its files are the owner's alone. Tests run as root, which file modes do not
/// stop, so they read the mode bits rather than try to be refused.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateDataFilesTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _root = Path.Combine(TestData.Root, $"modes-{Guid.NewGuid():N}");

    [Fact]
    public async Task Journal_NewFolder_FolderIs0700AndDatabaseWalAndShmAre0600()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var path = Path.Combine(_root, "data", "lifeline.db");
        await using var test = TestJournal.Create(path);
        await test.Journal.AppendAsync([Events.Form(1, 1000)]);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(Private, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(Private, File.GetUnixFileMode(path + "-shm"));
    }

    [Fact]
    public async Task Journal_FilesLeftOpenToOthers_AreTightenedWhenItOpens()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var path = Path.Combine(_root, "lifeline.db");
        await using var test = TestJournal.Create(path);
        await test.Journal.AppendAsync([Events.Form(1, 1000)]);
        await test.Journal.DisposeAsync();
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(_root, PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(path, open);
        File.WriteAllBytes(path + "-wal", []);
        File.SetUnixFileMode(path + "-wal", open);

        await test.ReopenAsync();
        await test.Journal.AppendAsync([Events.Form(2, 1000)]);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(_root));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(Private, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(Private, File.GetUnixFileMode(path + "-shm"));
        Assert.Equal(2, test.Journal.HighWaterSequence);
    }

    [Fact]
    public void Prepare_StickySharedFolder_LeavesItAloneAndStillMakesThePrivateFile()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var shared = UnixFileMode.StickyBit | PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, shared);
        var path = Path.Combine(_root, "state.db");

        var folderPrivate = PrivateDataFiles.Prepare(path);

        Assert.False(folderPrivate);
        Assert.Equal(shared, File.GetUnixFileMode(_root));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Journal_FolderNotItsToRestrict_LogsOnceAndKeepsTheFilesPrivate()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, UnixFileMode.StickyBit | PrivateFolder | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var test = TestJournal.Create(Path.Combine(_root, "lifeline.db"));
        await test.Journal.AppendAsync([Events.Form(1, 1000)]);

        Assert.True(test.Journal.Health.IsWritable);
        Assert.Single(test.Log.Entries, e => e.EventId == 2006);
        Assert.Equal(Private, File.GetUnixFileMode(test.Path));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
