using System.Data.Common;
using OtpGate.Verification;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Storage;

namespace OtpGate.Cli.Doctor;

/// <summary>The checks that need no network: storage and the server secret.</summary>
internal static class LocalChecks
{
    private const string StorageTitle = "Storage reachable and migrated";
    private const string SecretTitle = "Server secret present and strong";

    public static async Task<Check> StorageAsync(DoctorInputs inputs, CancellationToken cancellationToken)
    {
        if (inputs.Storage.GetProvider() == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(inputs.Storage.ConnectionString))
            {
                return Check.Fail("storage", StorageTitle, "Storage:Provider is postgres but Storage:ConnectionString is empty.",
                    "Set Storage:ConnectionString, e.g. \"Host=db.internal;Database=otpgate;Username=otpgate;Password=...\" (from the environment, to keep the password out of files).");
            }

            try
            {
                using var postgres = Database.ForPostgres(inputs.Storage.ConnectionString);
                return await VersionsAsync(postgres, cancellationToken);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
            {
                return Check.Fail("storage", StorageTitle, $"Could not reach PostgreSQL: {e.Message.TrimEnd('.')}.",
                    "Check Storage:ConnectionString (host, port, database, user) and that this machine may connect to the server.");
            }
        }

        var path = Path.Combine(inputs.DataDirectory, "otpgate.db");
        if (!File.Exists(path))
        {
            // Opening it would create it; the doctor only looks.
            return Check.Warn("storage", StorageTitle, $"The SQLite database {path} does not exist yet; the server creates and migrates it at its first start.",
                "Nothing to do before the first start. If the server has run already, point Storage:DataDirectory (--data-dir) at its data directory.");
        }

        try
        {
            using var database = Database.ForSqlite(inputs.DataDirectory);
            return await VersionsAsync(database, cancellationToken);
        }
        catch (DbException e)
        {
            return Check.Fail("storage", StorageTitle, $"Could not read {path}: {e.Message.TrimEnd('.')}.",
                "Check that the file is an OtpGate database and that this user may read and write it and its directory.");
        }
        catch (IOException e)
        {
            return Check.Fail("storage", StorageTitle, $"Could not open {path}: {e.Message.TrimEnd('.')}.", "Check the permissions of the data directory.");
        }
    }

    private static async Task<Check> VersionsAsync(Database database, CancellationToken cancellationToken)
    {
        var (shipped, applied) = await Migrator.GetVersionsAsync(database, cancellationToken);
        if (applied == shipped)
        {
            return Check.Pass("storage", StorageTitle, $"{database.Description}, schema version {applied} (current).");
        }

        return applied < shipped
            ? Check.Warn("storage", StorageTitle, $"{database.Description} is at schema version {applied}; this build ships version {shipped}.",
                "The server applies the missing migrations at its next start; restart it.")
            : Check.Fail("storage", StorageTitle, $"{database.Description} is at schema version {applied}, newer than this build ({shipped}).",
                "Use the otpgate and server version that created this database.");
    }

    public static Check Secret(DoctorInputs inputs)
    {
        var security = inputs.Security;
        var weakPrevious = security.PreviousSecrets.Count(p => p.Trim().Length < SecretRing.MinimumSecretLength);
        if (weakPrevious > 0)
        {
            return Check.Fail("secret", SecretTitle, $"{weakPrevious} of Security:PreviousSecrets is shorter than {SecretRing.MinimumSecretLength} characters, so the server will not start.",
                "Remove it, or restore the exact secret it replaced.");
        }

        if (!string.IsNullOrWhiteSpace(security.Secret))
        {
            return Strength("Security:Secret", security.Secret.Trim()) ?? Check.Pass("secret", SecretTitle, $"Security:Secret is set ({security.Secret.Trim().Length} characters).");
        }

        var path = Path.Combine(inputs.DataDirectory, ServerSecret.FileName);
        if (!File.Exists(path))
        {
            return Check.Warn("secret", SecretTitle, $"Security:Secret is not set and {path} does not exist yet; the server generates it (owner-only) at its first start.",
                "Nothing to do before the first start; then back the file up, or set Security:Secret (e.g. from `openssl rand -base64 32`) yourself.");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                return Check.Fail("secret", SecretTitle, $"{path} can be read by other users (mode {Convert.ToString((int)mode, 8)}); anyone who reads it can forge codes.",
                    $"chmod 600 {path}");
            }
        }

        var secret = File.ReadAllText(path).Trim();
        return Strength(path, secret) ?? Check.Pass("secret", SecretTitle, $"Generated secret in {path} (owner-only, {secret.Length} characters).");
    }

    private static Check? Strength(string where, string secret)
    {
        if (secret.Length < SecretRing.MinimumSecretLength)
        {
            return Check.Fail("secret", SecretTitle, $"{where} has {secret.Length} characters; the server needs at least {SecretRing.MinimumSecretLength} of random text.",
                "Generate one with `openssl rand -base64 32` and set Security:Secret (from an environment variable, Security__Secret).");
        }

        // A long run of one character, or a word repeated, is not random text.
        if (secret.Distinct().Count() < 10)
        {
            return Check.Fail("secret", SecretTitle, $"{where} is long enough but uses only {secret.Distinct().Count()} different characters; it does not look random.",
                "Generate one with `openssl rand -base64 32`.");
        }

        return null;
    }

    /// <summary>The TTL the server sends with a fresh code (see <see cref="Sending.SendCommand.DefaultTtlSeconds"/>).</summary>
    public static int MessageTtlSeconds(VerificationOptions options) => Sending.SendCommand.DefaultTtlSeconds(options);
}
