using Npgsql;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>
/// A storage the server cannot write at start-up stops it with exit code 1 and one sentence on standard error that
/// names the place and what to do: no unhandled exception (exit 134), no stack trace. The server runs as its own process.
/// </summary>
public sealed class StorageStartupTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> Settings(string dataDirectory, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = dataDirectory,
            ["Security__Secret"] = ServerFactory.Secret,
            ["Api__Keys__tests"] = ServerFactory.ApiKey,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The one line on standard error, after checking that nothing anywhere looks like a crash.</summary>
    private static string OneSentence((int ExitCode, string Output, string Errors) run)
    {
        var all = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        return Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    [Trait("Storage", "sqlite-only")]
    public async Task A_read_only_database_stops_the_server_with_one_sentence_and_exit_code_1()
    {
        var data = Directory.CreateTempSubdirectory("otpgate-read-only-").FullName;
        var path = Path.Combine(data, "otpgate.db");
        try
        {
            // The database of an earlier run, then the folder and the file made read-only.
            using (var earlier = Database.ForSqlite(data))
            {
                await Migrator.MigrateAsync(earlier, TimeProvider.System, TestContext.Current.CancellationToken);
            }

            (int, string, string) run;
            using (FileFaults.MakeReadOnly(data, path))
            {
                run = await ServerProcess.RunUntilExitAsync(Settings(data), within: Within);
            }

            var sentence = OneSentence(run);
            Assert.StartsWith($"OtpGate cannot start: the SQLite database {path} cannot be written: ", sentence, StringComparison.Ordinal);
            Assert.Contains($"Make the data folder {data} and its files writable by the user running OtpGate", sentence, StringComparison.Ordinal);
            Assert.Contains("Storage:DataDirectory", sentence, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [Trait("Storage", "sqlite-only")]
    public async Task A_data_folder_that_cannot_be_created_stops_the_server_with_one_sentence_and_exit_code_1()
    {
        var parent = Directory.CreateTempSubdirectory("otpgate-no-folder-").FullName;
        var data = Path.Combine(parent, "data");
        try
        {
            (int, string, string) run;
            using (FileFaults.MakeReadOnly(parent))
            {
                run = await ServerProcess.RunUntilExitAsync(Settings(data), within: Within);
            }

            var sentence = OneSentence(run);
            Assert.StartsWith($"OtpGate cannot start: the SQLite database {Path.Combine(data, "otpgate.db")} cannot be created: ", sentence, StringComparison.Ordinal);
            Assert.Contains("Storage:DataDirectory", sentence, StringComparison.Ordinal);
            Assert.False(Directory.Exists(data));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    [Trait("Storage", "postgres-only")]
    public async Task An_unreachable_postgres_stops_the_server_with_one_sentence_and_exit_code_1()
    {
        var data = Directory.CreateTempSubdirectory("otpgate-no-postgres-").FullName;
        var port = ServerProcess.FreePort();
        try
        {
            var run = await ServerProcess.RunUntilExitAsync(Settings(data, new()
            {
                ["Storage__Provider"] = "postgres",
                ["Storage__ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=otpgate;Username=otpgate;Password=never-printed-7731",
            }), within: Within);

            var sentence = OneSentence(run);
            Assert.StartsWith($"OtpGate cannot start: the PostgreSQL database otpgate on 127.0.0.1:{port} cannot be used: ", sentence, StringComparison.Ordinal);
            Assert.Contains("Check Storage:ConnectionString", sentence, StringComparison.Ordinal);
            Assert.DoesNotContain("never-printed-7731", run.Item2 + run.Item3, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [Trait("Storage", "postgres-only")]
    public async Task A_postgres_database_that_does_not_exist_stops_the_server_with_one_sentence_and_exit_code_1()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var missing = "otpgate_missing_" + Guid.NewGuid().ToString("N")[..8];
        var data = Directory.CreateTempSubdirectory("otpgate-missing-db-").FullName;
        try
        {
            var run = await ServerProcess.RunUntilExitAsync(Settings(data, new()
            {
                ["Storage__Provider"] = "postgres",
                ["Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(connectionString) { Database = missing }.ConnectionString,
            }), within: Within);

            var sentence = OneSentence(run);
            Assert.Contains($"the PostgreSQL database {missing} on ", sentence, StringComparison.Ordinal);
            Assert.Contains("does not exist", sentence, StringComparison.Ordinal);
            Assert.Contains("Check Storage:ConnectionString", sentence, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            await drop();
        }
    }
}
