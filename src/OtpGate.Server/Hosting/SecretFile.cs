using System.Security.Cryptography;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>Small files in the data directory that hold generated secrets, created once and readable by the owner only.</summary>
internal static class SecretFile
{
    /// <summary>Reads the file, or creates it with <paramref name="create"/>'s text. When two processes race, both use the first file written.</summary>
    public static string ReadOrCreate(string path, Func<string> create, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = create();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var writer = new StreamWriter(path, options))
            {
                writer.Write(text);
            }

            created = true;
            return text;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
    }

    /// <summary><paramref name="bytes"/> random bytes as base64url (safe in a URL path and a header).</summary>
    public static string RandomToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string value) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
}
