using System.Net;
using Npgsql;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Scaling;

[Trait("Storage", "postgres-only")]
public sealed class StorageLogTests
{
    [Fact]
    public async Task On_postgres_the_start_up_log_names_the_database_and_never_its_password_and_readyz_reports_it()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        const string password = "pw-never-in-logs-4821";
        // The test cluster trusts loopback connections, so the password is carried but not needed.
        var withPassword = new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;
        try
        {
            await using var server = new CustomServer(new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = withPassword });
            await server.InitializeAsync();
            using var client = server.CreateClient();
            using var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            var readiness = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains(server.Logs.Entries, e => e.Text.StartsWith("Storage: PostgreSQL database", StringComparison.Ordinal));
            Assert.DoesNotContain(server.Logs.Entries, e => e.Text.Contains(password, StringComparison.Ordinal));
            Assert.DoesNotContain(password, readiness, StringComparison.Ordinal);
            Assert.DoesNotContain(password, server.Banner.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }
}
