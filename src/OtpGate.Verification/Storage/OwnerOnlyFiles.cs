using Microsoft.Extensions.Logging;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The data folder holds phone numbers, client addresses, secrets and cookie keys: folders are created 0700 and
/// files 0600, and looser ones found at start-up are tightened (once, with a log line). Nothing to do on Windows,
/// where files inherit the owner's ACL.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder (and missing parents) readable by the owner only; an existing one is left as it is.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>
    /// Creates an empty file readable by the owner only, unless it exists. SQLite gives its <c>-wal</c> and <c>-shm</c>
    /// files the database file's mode, so creating that one first is what keeps all three private.
    /// </summary>
    public static void CreateFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            using var created = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by another process in between: it is there, which is all this wants.
        }
    }

    /// <summary>
    /// Takes group and other permissions off each existing path, and logs once what it changed (and what it could
    /// not: a file that cannot be changed now is reported, never fatal, as writing it will say more).
    /// </summary>
    public static void Tighten(ILogger logger, params IEnumerable<string> paths)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var changed = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                if (!Path.Exists(path))
                {
                    continue;
                }

                var mode = File.GetUnixFileMode(path);
                if ((mode & Others) == 0)
                {
                    continue;
                }

                File.SetUnixFileMode(path, mode & ~Others);
                changed.Add($"{path} {Octal(mode)} to {Octal(mode & ~Others)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                StorageLog.NotTightened(logger, path, e.Message);
            }
        }

        if (changed.Count > 0)
        {
            StorageLog.Tightened(logger, string.Join(", ", changed));
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
