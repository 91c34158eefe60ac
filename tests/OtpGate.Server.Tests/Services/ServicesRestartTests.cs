using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Services;

/// <summary>A restart with a service taken out of the configuration: on SQLite and, in the PostgreSQL pass, on PostgreSQL.</summary>
public sealed class ServicesRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_service_removed_from_the_configuration_stays_and_is_managed_through_the_api_from_the_next_start()
    {
        var data = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "services-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var storage = new Dictionary<string, string?> { ["Api:AdminKeys:ops"] = ServicesServer.AdminKey };
        var drop = () => Task.CompletedTask;
        if (PostgresTestServer.IsSelected)
        {
            // Both servers on one schema, as the restarted server on its database.
            (var connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
            storage["Storage:Provider"] = "postgres";
            storage["Storage:ConnectionString"] = connectionString;
        }

        try
        {
            await using (var first = new CustomServer(new(storage) { ["Services:shop:CodeLength"] = "8" }, dataDirectory: data))
            {
                await first.InitializeAsync();
                using var admin = first.Api(ServicesServer.AdminKey);
                Assert.Equal("configuration", (await admin.GetFromJsonAsync<JsonObject>("/v1/services/shop", Ct))!["source"]!.GetValue<string>());
            }

            await using var second = new CustomServer(storage, dataDirectory: data);
            await second.InitializeAsync();
            using var again = second.Api(ServicesServer.AdminKey);

            var shop = (await again.GetFromJsonAsync<JsonObject>("/v1/services/shop", Ct))!;
            Assert.Equal(("api", 8), (shop["source"]!.GetValue<string>(), shop["settings"]!["codeLength"]!.GetValue<int>()));
            Assert.Single(second.Logs.Entries, e => e.Level == LogLevel.Warning
                && e.Text.StartsWith("Service shop is no longer declared in the configuration (Services:shop); it stays", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync("/v1/services/shop", new { settings = new { codeLength = 7 } }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await again.DeleteAsync("/v1/services/shop", Ct)).StatusCode);
        }
        finally
        {
            await drop();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
