using Microsoft.Extensions.Logging;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Codes;

/// <summary>
/// Finds the server secret: from configuration when set, otherwise from <c>secret.key</c> in the data directory,
/// generated there once with owner-only permissions (the embedded default).
/// </summary>
public static partial class ServerSecret
{
    public const string FileName = "secret.key";

    public static SecretRing Load(SecurityOptions options, string dataDirectory, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Secret))
        {
            return new SecretRing(options.Secret, options.PreviousSecrets);
        }

        var path = Path.Combine(dataDirectory, FileName);
        var secret = ReadOrCreate(path, out var created);
        OwnerOnlyFiles.Tighten(logger, path);
        if (created)
        {
            LogGenerated(logger, path);
        }
        else
        {
            LogLoaded(logger, path);
        }

        return new SecretRing(secret, options.PreviousSecrets);
    }

    /// <summary>Reads a secret file, or creates it with a new random secret, readable by the owner only.</summary>
    public static string ReadOrCreate(string path, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = SecretRing.GenerateSecret();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(secret);
            created = true;
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs so both agree.
            return File.ReadAllText(path).Trim();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Security:Secret is configured, so a new server secret was generated into {Path} (owner-only). Back it up or set Security:Secret: losing it invalidates pending codes.")]
    private static partial void LogGenerated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the server secret generated earlier in {Path}; set Security:Secret to manage it yourself.")]
    private static partial void LogLoaded(ILogger logger, string path);
}
