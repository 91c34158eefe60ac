using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OtpGate.Sandbox;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Scaling;

/// <summary>
/// Two server processes on one PostgreSQL database, each with its own services cache: a service created, then changed,
/// through the first one's admin API is used by the second one's next start, with no restart and no wait.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class ServicesAcrossProcessesTests : IAsyncLifetime
{
    private const string AdminKey = "services-admin-key-0123456789";
    private const string ShopKey = "services-shop-key-0123456789";
    private SandboxServer _sandbox = null!;
    private Func<Task> _drop = () => Task.CompletedTask;
    private string _connectionString = "";
    private readonly List<string> _dataDirectories = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_connectionString, _drop) = await PostgresTestServer.CreateSchemaAsync();
        _sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _drop();
        foreach (var directory in _dataDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_service_created_and_changed_through_one_process_is_used_by_the_next_start_on_the_other()
    {
        await using var first = await StartServerAsync();
        await using var second = await StartServerAsync();
        using var admin = Client(first, AdminKey);
        using var shop = Client(second, ShopKey);

        // The second process's key names a service that does not exist yet.
        using (var refused = await shop.PostAsJsonAsync("/v1/verifications", new { phone = "+1 646 700 0001" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("service_not_found", (await refused.Content.ReadFromJsonAsync<JsonObject>(Ct))!["code"]!.GetValue<string>());
        }

        using (var created = await admin.PostAsJsonAsync("/v1/services", new { id = "shop", settings = new { maxAttempts = 2 } }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(2, await AttemptsOfNewStartAsync(shop, "+1 646 700 0002"));

        using (var changed = await admin.PostAsJsonAsync("/v1/services/shop", new { settings = new { maxAttempts = 4 } }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        Assert.Equal(4, await AttemptsOfNewStartAsync(shop, "+1 646 700 0003"));
    }

    private static async Task<int> AttemptsOfNewStartAsync(HttpClient client, string phone)
    {
        using var started = await client.PostAsJsonAsync("/v1/verifications", new { phone }, Ct);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (await started.Content.ReadFromJsonAsync<JsonObject>(Ct))!["attemptsLeft"]!.GetValue<int>();
    }

    private static HttpClient Client(ServerProcess server, string key)
    {
        var client = new HttpClient { BaseAddress = server.Root, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private Task<ServerProcess> StartServerAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "otpgate-services-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        _dataDirectories.Add(data);
        return ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = _connectionString,
            ["Storage__DataDirectory"] = data,
            ["Security__Secret"] = "services-secret-0123456789-abcdefghijklmnopq",
            ["OneMsg__BaseUrl"] = _sandbox.BaseUrl.ToString(),
            ["OneMsg__ChannelId"] = _sandbox.ChannelId,
            ["OneMsg__Token"] = _sandbox.Token,
            ["OneMsg__Template__Name"] = "registration_otp",
            ["OneMsg__Template__Namespace"] = "otpgate_sandbox",
            ["OneMsg__Template__Language"] = "en",
            ["Api__AdminKeys__ops"] = AdminKey,
            ["Api__ServiceKeys__shop-app__Service"] = "shop",
            ["Api__ServiceKeys__shop-app__Key"] = ShopKey,
            ["Logging__LogLevel__Default"] = "Warning",
        });
    }
}
