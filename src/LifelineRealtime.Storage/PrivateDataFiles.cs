namespace LifelineRealtime.Storage;

/// <summary>
/// The journal and the grain state hold personal data (CS and ISS names), so on Unix their files are
/// readable by the engine's own user only (0600) and their folder is closed to others (0700).
/// SQLite creates a database file with the process umask (0644 as a rule) and gives its <c>-wal</c> and
/// <c>-shm</c> files the mode of the database file, so the database file is created here, with its mode,
/// before SQLite first opens it; files left by an earlier version are tightened.
/// </summary>
public static class PrivateDataFiles
{
    /// <summary>Owner read and write (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read, write and search (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OthersMask = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly string[] SqliteCompanions = ["-wal", "-shm", "-journal"];

    /// <summary>
    /// Makes sure the folder of <paramref name="databasePath"/> exists and the database file exists, both
    /// private to this user (on Windows only the folder is created). Throws when the folder cannot be
    /// created or the file cannot be created, like SQLite's own open would.
    /// </summary>
    /// <returns>
    /// False when the folder already existed open to others and could not be closed (the engine does not own
    /// it, as with a Kubernetes volume's root); the files in it are private all the same.
    /// </returns>
    public static bool Prepare(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var path = Path.GetFullPath(databasePath);
        var folder = Path.GetDirectoryName(path);
        if (OperatingSystem.IsWindows())
        {
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            return true;
        }

        var folderPrivate = true;
        if (!string.IsNullOrEmpty(folder) && folder != Path.GetPathRoot(folder))
        {
            if (Directory.Exists(folder))
            {
                folderPrivate = TryRestrictFolder(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, FolderMode);
            }
        }

        if (File.Exists(path))
        {
            Restrict(path);
        }
        else
        {
            try
            {
                // An empty file is a new database to SQLite. CreateNew: a file another opener made meanwhile is kept.
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = System.IO.FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = FileMode,
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                Restrict(path);
            }
        }

        foreach (var suffix in SqliteCompanions)
        {
            if (File.Exists(path + suffix))
            {
                Restrict(path + suffix);
            }
        }

        return folderPrivate;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Restrict(string file)
    {
        var mode = File.GetUnixFileMode(file);
        if ((mode & OthersMask) != 0)
        {
            File.SetUnixFileMode(file, mode & ~OthersMask);
        }
    }

    /// <summary>
    /// Closes an existing folder to others. A sticky folder (<c>/tmp</c>) is shared by design and is left as it
    /// is; so is a folder this user may not change (and a file system's root, which is never touched).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool TryRestrictFolder(string folder)
    {
        var mode = File.GetUnixFileMode(folder);
        if ((mode & OthersMask) == 0)
        {
            return true;
        }

        if ((mode & UnixFileMode.StickyBit) != 0)
        {
            return false;
        }

        try
        {
            File.SetUnixFileMode(folder, mode & ~OthersMask);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
