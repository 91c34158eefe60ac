using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Services;

/// <summary>
/// Two servers on one PostgreSQL database, each with its own services cache: a service changed through one is used
/// by the next start on the other, with no wait and no restart.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class ServicesAcrossInstancesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_service_changed_through_one_server_is_used_by_the_next_start_on_the_other()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = connectionString,
                ["Api:ServiceKeys:shop-app:Service"] = "shop",
                ["Api:ServiceKeys:shop-app:Key"] = ServicesServer.ShopKey,
                ["Api:AdminKeys:ops"] = ServicesServer.AdminKey,
            };
            await using var first = new CustomServer(settings);
            await using var second = new CustomServer(settings);
            await first.InitializeAsync();
            await second.InitializeAsync();
            using var admin = first.Api(ServicesServer.AdminKey);
            using var shop = second.Api(ServicesServer.ShopKey);
            // Created through the API: a service declared in configuration is changed there, not through the API.
            var created = await admin.PostAsJsonAsync("/v1/services", new { id = "shop", settings = new { maxAttempts = 5 } }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(5, await AttemptsOfNewStartAsync(second, shop));

            foreach (var attempts in new[] { 2, 4 })
            {
                var changed = await admin.PostAsJsonAsync("/v1/services/shop", new { settings = new { maxAttempts = attempts } }, Ct);
                Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

                Assert.Equal(attempts, await AttemptsOfNewStartAsync(second, shop));
            }
        }
        finally
        {
            await drop();
        }
    }

    private static async Task<int> AttemptsOfNewStartAsync(ServerFactory server, HttpClient client)
    {
        var started = await client.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (await started.Content.ReadFromJsonAsync<JsonObject>(Ct))!["attemptsLeft"]!.GetValue<int>();
    }
}
