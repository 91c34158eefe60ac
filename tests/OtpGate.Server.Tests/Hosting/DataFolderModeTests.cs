using System.Runtime.Versioning;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>
/// The data folder holds phone numbers, names, client addresses, secrets and cookie keys: only the user running the
/// server may read it. Folders are 0700 and files 0600, new or found looser at start-up.
/// </summary>
[Trait("Storage", "sqlite-only")] // the SQLite files' modes
[UnsupportedOSPlatform("windows")]
public sealed class DataFolderModeTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Loose = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    [Fact]
    public async Task A_fresh_data_folder_is_0700_and_the_database_its_log_and_its_shared_memory_are_0600()
    {
        var parent = Directory.CreateTempSubdirectory("otpgate-modes-").FullName;
        var data = Path.Combine(parent, "data");
        try
        {
            await using var server = new CustomServer(null, dataDirectory: data);
            await server.InitializeAsync();
            await server.StartAsync(server.NextPhone());
            // The sign-up page needs an anti-forgery key: the key ring is written now.
            using var browser = server.CreateClient();
            await browser.GetStringAsync("/", TestContext.Current.CancellationToken);

            Assert.Equal(Folder, Mode(data));
            Assert.Equal(Folder, Mode(Path.Combine(data, "keys")));
            foreach (var file in new[] { "otpgate.db", "otpgate.db-wal", "otpgate.db-shm", "webhook-secret.key" })
            {
                Assert.True(File.Exists(Path.Combine(data, file)), file + " is missing");
                Assert.Equal((file, File0600), (file, Mode(Path.Combine(data, file))));
            }

            var keys = Directory.GetFiles(Path.Combine(data, "keys"));
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.Equal(File0600, Mode(key)));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task A_data_folder_others_can_read_is_made_owner_only_at_start_up_and_the_log_says_so_once()
    {
        var data = Directory.CreateTempSubdirectory("otpgate-loose-").FullName;
        var database = Path.Combine(data, "otpgate.db");
        var keys = Path.Combine(data, "keys");
        try
        {
            // What an earlier version left: the folder 0755, the database 0644, a key folder and a secret anyone may read.
            using (var earlier = Database.ForSqlite(data))
            {
                await Migrator.MigrateAsync(earlier, TimeProvider.System, TestContext.Current.CancellationToken);
            }

            Directory.CreateDirectory(keys);
            await File.WriteAllTextAsync(Path.Combine(data, "webhook-secret.key"), "w3bh00k-s3cret-0123456789abcdefghij", TestContext.Current.CancellationToken);
            foreach (var path in new[] { data, keys })
            {
                File.SetUnixFileMode(path, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            File.SetUnixFileMode(database, Loose);
            File.SetUnixFileMode(Path.Combine(data, "webhook-secret.key"), Loose);

            await using var server = new CustomServer(null, dataDirectory: data);
            await server.InitializeAsync();
            using var browser = server.CreateClient();
            await browser.GetStringAsync("/", TestContext.Current.CancellationToken);

            Assert.Equal(Folder, Mode(data));
            Assert.Equal(Folder, Mode(keys));
            Assert.Equal(File0600, Mode(database));
            Assert.Equal(File0600, Mode(Path.Combine(data, "webhook-secret.key")));
            var tightened = server.Logs.Entries.Where(e => e.Text.StartsWith("The data folder was readable by other users; made owner-only: ", StringComparison.Ordinal)).ToList();
            Assert.Single(tightened, e => e.Text.Contains($"{data} 0755 to 0700", StringComparison.Ordinal) && e.Text.Contains($"{database} 0644 to 0600", StringComparison.Ordinal));
            Assert.Single(tightened, e => e.Text.Contains("webhook-secret.key 0644 to 0600", StringComparison.Ordinal));
            Assert.Single(tightened, e => e.Text.Contains($"{keys} 0755 to 0700", StringComparison.Ordinal));
            Assert.Equal(3, tightened.Count);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
