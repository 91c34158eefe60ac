using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Services;

/// <summary>A server with a configuration-declared service <c>shop</c> and its key, and an admin key.</summary>
public sealed class ServicesServer() : ServerFactory(new Dictionary<string, string?>
{
    ["Services:shop:FriendlyName"] = "Shop",
    ["Services:shop:CodeLength"] = "8",
    ["Api:ServiceKeys:shop-app:Service"] = "shop",
    ["Api:ServiceKeys:shop-app:Key"] = ShopKey,
    ["Api:AdminKeys:ops"] = AdminKey,
})
{
    public const string ShopKey = "key-shop-0123456789abcdefghij";
    public const string AdminKey = "key-admin-0123456789abcdefghij";
}

/// <summary><c>/v1/services</c> with admin keys, service keys on <c>/v1/verifications</c>, and what each key may not do.</summary>
public sealed class ServicesApiTests(ServicesServer server) : IClassFixture<ServicesServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_service_key_starts_with_its_services_settings_and_the_default_key_with_the_configurations()
    {
        using var shop = server.Api(ServicesServer.ShopKey);
        var shopPhone = server.NextPhone();
        await server.StartAsync(shopPhone, shop);
        var defaultPhone = server.NextPhone();
        await server.StartAsync(defaultPhone);

        Assert.Equal(8, (await server.ReadCodeAsync(shopPhone)).Length);
        Assert.Equal(6, (await server.ReadCodeAsync(defaultPhone)).Length);
    }

    [Fact]
    public async Task Starts_and_checks_are_counted_per_service()
    {
        using var shop = server.Api(ServicesServer.ShopKey);
        var id = (await server.StartAsync(server.NextPhone(), shop))["id"]!.GetValue<string>();
        await shop.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = "00000000" }, Ct);
        await server.StartAsync(server.NextPhone());
        using var client = server.CreateClient();

        var text = await client.GetStringAsync("/metrics", Ct);

        Assert.Matches(@"otpgate_verifications_started_total\{[^}]*service=""shop""", text);
        Assert.Matches(@"otpgate_verifications_started_total\{[^}]*service=""default""", text);
        Assert.Matches(@"otpgate_checks_total\{[^}]*service=""shop""", text);
    }

    [Fact]
    public async Task Another_services_key_gets_404_exactly_as_for_an_unknown_id()
    {
        using var shop = server.Api(ServicesServer.ShopKey);
        using var plain = server.Api();
        var id = (await server.StartAsync(server.NextPhone(), shop))["id"]!.GetValue<string>();
        var unknown = await ServerFactory.ProblemAsync(await plain.GetAsync("/v1/verifications/vf_never_issued", Ct));

        var response = await plain.GetAsync($"/v1/verifications/{id}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ServerFactory.ProblemAsync(response);
        unknown.Remove("traceId");
        problem.Remove("traceId");
        Assert.Equal(unknown.ToJsonString(), problem.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await shop.GetAsync($"/v1/verifications/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_admin_key_creates_shows_updates_lists_and_deletes_a_service()
    {
        using var admin = server.Api(ServicesServer.AdminKey);

        var created = await admin.PostAsJsonAsync("/v1/services", new { id = "bank", friendlyName = "Bank", settings = new { codeLength = 4 } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bank = (await created.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Matches("^VA[0-9a-f]{32}$", bank["sid"]!.GetValue<string>());
        Assert.Equal(("api", 4), (bank["source"]!.GetValue<string>(), bank["settings"]!["codeLength"]!.GetValue<int>()));

        var updated = await admin.PostAsJsonAsync("/v1/services/bank", new { settings = new { maxAttempts = 3 } }, Ct);
        var changed = (await updated.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal((4, 3, 2L), (changed["settings"]!["codeLength"]!.GetValue<int>(), changed["settings"]!["maxAttempts"]!.GetValue<int>(), changed["version"]!.GetValue<long>()));

        var list = (await admin.GetFromJsonAsync<JsonArray>("/v1/services", Ct))!.Select(s => s!["id"]!.GetValue<string>()).ToList();
        // In id order; other tests of this class (which run in an order that depends on the assembly's path) add services of their own.
        Assert.Equal(["bank", "default", "shop"], list.Where(id => id is "bank" or "default" or "shop"));
        Assert.Equal("Shop", (await admin.GetFromJsonAsync<JsonObject>("/v1/services/shop", Ct))!["friendlyName"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/services/bank", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/services/bank", Ct)).StatusCode);
        var refused = await admin.DeleteAsync("/v1/services/default", Ct);
        Assert.Equal("service_is_default", (await ServerFactory.ProblemAsync(refused))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_through_the_admin_api_is_used_by_the_next_start()
    {
        using var admin = server.Api(ServicesServer.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/services", new { id = "clinic" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/v1/services/clinic", new { settings = new { codeLength = 7 } }, Ct)).StatusCode);

        // The configured shop service, changed at run time: its key's next start uses the new length.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/v1/services/shop", new { settings = new { codeLength = 5 } }, Ct)).StatusCode);
        using var shop = server.Api(ServicesServer.ShopKey);
        var phone = server.NextPhone();
        await server.StartAsync(phone, shop);
        Assert.Equal(5, (await server.ReadCodeAsync(phone)).Length);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/v1/services/shop", new { settings = new { codeLength = 8 } }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Each_key_is_refused_the_other_kinds_endpoints_with_403()
    {
        using var shop = server.Api(ServicesServer.ShopKey);
        using var admin = server.Api(ServicesServer.AdminKey);

        var asService = await shop.GetAsync("/v1/services", Ct);
        var asAdmin = await admin.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (asService.StatusCode, asAdmin.StatusCode));
        Assert.Equal("forbidden", (await ServerFactory.ProblemAsync(asService))["code"]!.GetValue<string>());
        Assert.Contains("Admin keys manage services", (await ServerFactory.ProblemAsync(asAdmin))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"Bad Id"}""", "id must be")]
    [InlineData("""{"id":"ok","settings":{"codeLength":3}}""", "CodeLength is 3")]
    [InlineData("""{"id":"ok","settings":{"colour":"red"}}""", "settings has no \"colour\"")]
    [InlineData("""{"id":"ok","settings":{"codeLength":"six"}}""", "settings could not be read")]
    [InlineData("""{"id":"shop"}""", "exists already")]
    public async Task Bad_input_is_a_clear_4xx(string body, string detail)
    {
        using var admin = server.Api(ServicesServer.AdminKey);

        var response = await admin.PostAsync("/v1/services", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, response.StatusCode.ToString());
        Assert.Contains(detail, (await ServerFactory.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
