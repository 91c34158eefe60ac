using System.Diagnostics;

namespace OtpGate.Verification.Tests.Support;

/// <summary>
/// Real storage faults for tests: files and folders made unwritable (<c>chattr +i</c> as root, who ignores permission
/// bits; <c>chmod a-w</c> otherwise), and a small full disk (a size-limited tmpfs, root only). Each is undone by
/// Dispose, which tests call in <c>finally</c> (or <c>using</c>) so a failing test leaves nothing immutable behind.
/// </summary>
public static class FileFaults
{
    /// <summary>True when this process may use <c>chattr</c> and <c>mount</c>.</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Makes every path unwritable (for root too) until disposed.</summary>
    public static IDisposable MakeReadOnly(params string[] paths) => IsRoot ? Immutable.Apply(paths) : WriteBitsRemoved.Apply(paths);

    /// <summary>Runs a command; returns its exit code and what it printed.</summary>
    public static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors);
    }

    private static void MustRun(string command, params string[] arguments)
    {
        var (exitCode, output) = Run(command, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({exitCode}): {output}");
        }
    }

    private sealed class Immutable(string[] paths) : IDisposable
    {
        public static Immutable Apply(string[] paths)
        {
            MustRun("chattr", ["+i", .. paths]);
            return new Immutable(paths);
        }

        public void Dispose() => MustRun("chattr", ["-i", .. paths]);
    }

    private sealed class WriteBitsRemoved(Dictionary<string, UnixFileMode> before) : IDisposable
    {
        private const UnixFileMode WriteBits = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

        public static WriteBitsRemoved Apply(string[] paths)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("Unix permission bits only.");
            }

            var before = new Dictionary<string, UnixFileMode>();
            foreach (var path in paths)
            {
                before[path] = File.GetUnixFileMode(path);
                File.SetUnixFileMode(path, before[path] & ~WriteBits);
            }

            return new WriteBitsRemoved(before);
        }

        public void Dispose()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            foreach (var (path, mode) in before)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
    }
}

/// <summary>
/// A size-limited tmpfs mounted on an empty folder, as a data folder whose disk fills up. Root only; mounting may
/// still be refused (a container without the capability): <see cref="TryMount"/> then says why.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk? TryMount(string size, out string? refusal)
    {
        var path = Directory.CreateTempSubdirectory("otpgate-small-disk-").FullName;
        var (exitCode, output) = FileFaults.Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            refusal = $"mount -t tmpfs was refused ({exitCode}): {output.Trim()}";
            return null;
        }

        refusal = null;
        return new SmallDisk(path);
    }

    /// <summary>Writes a file until the disk refuses more; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var chunk = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                stream.Write(chunk);
            }
        }
        catch (IOException)
        {
            // No space left on device: full, which is the point.
        }

        return filler;
    }

    public void Dispose()
    {
        if (FileFaults.Run("umount", Path).ExitCode != 0)
        {
            // Still busy (a file left open by a failed test): detach it now, the kernel frees it when the file closes.
            FileFaults.Run("umount", "-l", Path);
        }

        Directory.Delete(Path, recursive: true);
    }
}
