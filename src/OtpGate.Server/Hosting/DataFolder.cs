using Microsoft.Extensions.Configuration;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>
/// Where the server keeps its SQLite database, generated secrets and cookie keys, decided once at start as an absolute
/// path. Unless <c>Storage:DataDirectory</c> says otherwise it is one folder per user, whichever directory the server,
/// <c>otpgate serve</c> or <c>otpgate doctor</c> is started from: <c>$XDG_DATA_HOME/otpgate</c> (else
/// <c>~/.local/share/otpgate</c>) on Linux, <c>~/Library/Application Support/OtpGate</c> on macOS,
/// <c>%LOCALAPPDATA%\OtpGate</c> on Windows. A relative <c>Storage:DataDirectory</c> is taken from the directory it
/// was started in, as any relative path on a command line.
/// </summary>
public static class DataFolder
{
    public const string Key = StorageOptions.SectionName + ":DataDirectory";

    /// <summary>
    /// The data folder for <paramref name="configuration"/>: the configured one made absolute against
    /// <paramref name="startDirectory"/>, else the per-user default. <paramref name="variable"/> reads the environment.
    /// </summary>
    public static string Resolve(IConfiguration configuration, string startDirectory, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[Key] is { } configured && !string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(configured, startDirectory)
            : PerUser(variable) ?? Path.Combine(Path.GetFullPath(startDirectory), "data");
    }

    /// <summary>The per-user default; null when no home folder is known at all (then <c>data</c> where it was started).</summary>
    public static string? PerUser(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (OperatingSystem.IsWindows())
        {
            return Absolute(variable("LOCALAPPDATA")) is { } local ? Path.Combine(local, "OtpGate") : null;
        }

        var home = Absolute(variable("HOME"));
        if (OperatingSystem.IsMacOS() && home is not null)
        {
            return Path.Combine(home, "Library", "Application Support", "OtpGate");
        }

        // The XDG base directory rule: XDG_DATA_HOME only when absolute, else ~/.local/share.
        if (Absolute(variable("XDG_DATA_HOME")) is { } dataHome)
        {
            return Path.Combine(dataHome, "otpgate");
        }

        return home is null ? null : Path.Combine(home, ".local", "share", "otpgate");
    }

    private static string? Absolute(string? path) => !string.IsNullOrWhiteSpace(path) && Path.IsPathRooted(path) ? path : null;
}
