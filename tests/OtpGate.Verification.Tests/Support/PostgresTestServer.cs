using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace OtpGate.Verification.Tests.Support;

/// <summary>
/// Where the PostgreSQL test runs find a server: <c>OTPGATE_TEST_POSTGRES</c> (a connection string, set by .ci/run),
/// or a throwaway cluster of this process's own, on a free port, started with <c>eng/postgres.sh</c> when PostgreSQL's
/// binaries are installed. Without either the tests are skipped locally, and fail on CI (<c>CI</c> set), so a missing
/// server never passes unnoticed.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "OTPGATE_TEST_POSTGRES";

    private static readonly Lazy<Task<string?>> Server = new(FindOrStartAsync);

    /// <summary>True when this test run is the PostgreSQL pass (<c>OTPGATE_TEST_STORAGE=postgres</c>).</summary>
    public static bool IsSelected => string.Equals(Environment.GetEnvironmentVariable("OTPGATE_TEST_STORAGE"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>A fresh, empty schema on the test server; returns its connection string and how to drop it.</summary>
    public static async Task<(string ConnectionString, Func<Task> Drop)> CreateSchemaAsync()
    {
        var server = await Server.Value;
        if (server is null)
        {
            var message = $"PostgreSQL is not available: set {Variable} to a connection string, or install the 'postgresql' package so eng/postgres.sh can start a throwaway cluster.";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var schema = "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        return (connectionString, () => ExecuteAsync(server, $"DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> FindOrStartAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var script = FindRepositoryFile("eng/postgres.sh");
        if (script is null || !File.Exists("/bin/bash"))
        {
            return null;
        }

        // A cluster of its own in a folder of its own: test runs of other checkouts on this machine start and stop theirs
        // (at their exit) without stopping this one under it.
        var directory = Path.Combine(Path.GetTempPath(), "otpgate-test-postgres-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        // No port: the script takes a free one (or keeps the one a cluster left running there has) and names it in the connection string.
        foreach (var arg in new[] { script, "start", directory })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            return null;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var stop = Process.Start("bash", [script, "stop", directory]);
            if (stop?.WaitForExit(30_000) == true)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left in the temporary folder; nothing runs there any more.
                }
            }
        };
        return output.Trim();
    }

    // The test binaries usually sit inside the repository; with --artifacts-path elsewhere, the working directory does.
    private static string? FindRepositoryFile(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OtpGate.slnx")))
                {
                    var path = Path.Combine(directory.FullName, relative);
                    return File.Exists(path) ? path : null;
                }
            }
        }

        return null;
    }
}
