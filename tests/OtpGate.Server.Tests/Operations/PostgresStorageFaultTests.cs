using System.Net;
using Npgsql;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Operations;

/// <summary>
/// A PostgreSQL that stops taking writes under a running server, as after a failover to a standby: the server's role
/// turns read-only and its sessions are ended. API writes answer 503 meanwhile, readiness says so, and the server
/// heals by itself once the role may write again.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class PostgresStorageFaultTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_postgres_that_turns_read_only_answers_503_until_it_takes_writes_again_and_loses_no_acknowledged_start()
    {
        var (admin, drop) = await PostgresTestServer.CreateSchemaAsync();
        var schema = new NpgsqlConnectionStringBuilder(admin).SearchPath!;
        // A role of its own, so that making it read-only touches nobody else on the shared test server.
        var role = "otpgate_" + schema;
        await ExecuteAsync(admin, $"CREATE ROLE {role} LOGIN; GRANT ALL ON SCHEMA {schema} TO {role}");
        try
        {
            await using var server = new CustomServer(new()
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Username = role }.ConnectionString,
            });
            await server.InitializeAsync();
            await using var load = StartLoad.Run(server);
            await load.WaitForAsync(load.Mark(), a => a.Status == HttpStatusCode.Created, Within);

            await ExecuteAsync(admin, $"ALTER ROLE {role} SET default_transaction_read_only = on");
            await EndSessionsAsync(admin, role);
            var faultBegan = load.Mark();
            await load.WaitForAsync(faultBegan, a => a.Status != HttpStatusCode.Created, Within);
            var readinessDuring = await StorageFaultTests.WaitForReadinessAsync(server, HttpStatusCode.ServiceUnavailable);

            await ExecuteAsync(admin, $"ALTER ROLE {role} RESET default_transaction_read_only");
            await EndSessionsAsync(admin, role);
            var faultEnded = load.Mark();
            await StorageFaultTests.WaitForReadinessAsync(server, HttpStatusCode.OK);
            await load.WaitForAsync(faultEnded, a => a.Status == HttpStatusCode.Created, Within);
            await load.DisposeAsync();
            var answers = load.Answers;

            StorageFaultTests.AssertEveryRefusalIsStorageUnavailable(answers);
            Assert.Contains("Storage writes are failing since", readinessDuring, StringComparison.Ordinal);
            var logs = server.Logs.Entries;
            Assert.Single(logs, e => e.Text.StartsWith("Storage writes are failing: ", StringComparison.Ordinal));
            Assert.Single(logs, e => e.Text.StartsWith("Storage writes succeed again after ", StringComparison.Ordinal));
            Assert.DoesNotContain(logs, e => e.Text.StartsWith("Unhandled error", StringComparison.Ordinal));

            using var api = server.Api();
            foreach (var id in answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Id!))
            {
                using var response = await api.GetAsync($"/v1/verifications/{id}", TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"Verification {id} was acknowledged but is gone: {(int)response.StatusCode}.");
            }
        }
        finally
        {
            await drop();
            await ExecuteAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Ends every session of the role, as a failover does: its pooled connections are dead from now on.</summary>
    private static Task EndSessionsAsync(string connectionString, string role) =>
        ExecuteAsync(connectionString, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'");
}
