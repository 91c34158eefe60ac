using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Services;

/// <summary>
/// A server with a configuration-declared service <c>shop</c> and its key, a key for <c>clinic</c> (created through the
/// API by the tests that use it), a key for <c>ghost</c> (never created), and an admin key.
/// </summary>
public sealed class ServicesServer() : ServerFactory(new Dictionary<string, string?>
{
    ["Services:shop:FriendlyName"] = "Shop",
    ["Services:shop:CodeLength"] = "8",
    ["Api:ServiceKeys:shop-app:Service"] = "shop",
    ["Api:ServiceKeys:shop-app:Key"] = ShopKey,
    ["Api:ServiceKeys:clinic-app:Service"] = "clinic",
    ["Api:ServiceKeys:clinic-app:Key"] = ClinicKey,
    ["Api:ServiceKeys:ghost-app:Service"] = "ghost",
    ["Api:ServiceKeys:ghost-app:Key"] = GhostKey,
    ["Api:AdminKeys:ops"] = AdminKey,
})
{
    public const string ShopKey = "key-shop-0123456789abcdefghij";
    public const string ClinicKey = "key-clinic-0123456789abcdefghij";
    public const string GhostKey = "key-ghost-0123456789abcdefghij";
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
    public async Task The_SMS_settings_are_a_group_a_change_to_one_of_them_keeps_the_others()
    {
        using var admin = server.Api(ServicesServer.AdminKey);
        var created = await admin.PostAsJsonAsync("/v1/services", new { id = "sms-shop", settings = new { sms = new { maxPerPhonePerDay = 2, webOtpDomain = "shop.example" } } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var updated = await admin.PostAsJsonAsync("/v1/services/sms-shop", new { settings = new { sms = new { fallback = false } } }, Ct);
        var sms = (await updated.Content.ReadFromJsonAsync<JsonObject>(Ct))!["settings"]!["sms"]!;

        Assert.Equal((false, 2, "shop.example", "00:00:15"),
            (sms["fallback"]!.GetValue<bool>(), sms["maxPerPhonePerDay"]!.GetValue<int>(), sms["webOtpDomain"]!.GetValue<string>(), sms["deliveryDeadline"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_change_through_the_admin_api_is_used_by_the_next_start()
    {
        using var admin = server.Api(ServicesServer.AdminKey);
        await CreateClinicAsync(admin);
        using var clinic = server.Api(ServicesServer.ClinicKey);

        foreach (var length in new[] { 7, 5 })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/v1/services/clinic", new { settings = new { codeLength = length } }, Ct)).StatusCode);
            var phone = server.NextPhone();
            await server.StartAsync(phone, clinic);
            Assert.Equal(length, (await server.ReadCodeAsync(phone)).Length);
        }
    }

    [Fact]
    public async Task A_service_from_the_configuration_is_not_changed_nor_deleted_through_the_api_and_the_409_names_its_key()
    {
        using var admin = server.Api(ServicesServer.AdminKey);

        var shop = await admin.PostAsJsonAsync("/v1/services/shop", new { friendlyName = "Shop EU", settings = new { codeLength = 5 } }, Ct);
        var fallback = await admin.PostAsJsonAsync("/v1/services/default", new { settings = new { maxAttempts = 3, templates = new { en = "x" } } }, Ct);
        var deleted = await admin.DeleteAsync("/v1/services/shop", Ct);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict), (shop.StatusCode, fallback.StatusCode, deleted.StatusCode));
        var (shopProblem, defaultProblem, deleteProblem) = (await ServerFactory.ProblemAsync(shop), await ServerFactory.ProblemAsync(fallback), await ServerFactory.ProblemAsync(deleted));
        Assert.Equal("service_is_configured", shopProblem["code"]!.GetValue<string>());
        Assert.StartsWith("Service shop is declared in the configuration; change Services:shop:CodeLength, Services:shop:FriendlyName there and restart",
            shopProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Service default is declared in the configuration; change Verification:MaxAttempts, Services:default:Templates there and restart",
            defaultProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Service shop is declared in the configuration (Services:shop); remove Services:shop there and restart",
            deleteProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var current = (await admin.GetFromJsonAsync<JsonObject>("/v1/services/shop", Ct))!;
        Assert.Equal(("Shop", 8, 1L), (current["friendlyName"]!.GetValue<string>(), current["settings"]!["codeLength"]!.GetValue<int>(), current["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_key_whose_service_does_not_exist_is_warned_of_at_start_and_its_start_is_a_403_naming_the_fix()
    {
        using var ghost = server.Api(ServicesServer.GhostKey);

        var response = await ghost.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await ServerFactory.ProblemAsync(response);
        Assert.Equal("service_not_found", problem["code"]!.GetValue<string>());
        Assert.Equal("This key's service \"ghost\" does not exist; create it (POST /v1/services with an admin key, or otpgate services create ghost), "
            + "or point Api:ServiceKeys:ghost-app:Service at an existing service and restart.", problem["detail"]!.GetValue<string>());
        var warnings = server.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Text.StartsWith("Api:ServiceKeys:", StringComparison.Ordinal)).Select(e => e.Text).ToList();
        Assert.StartsWith("Api:ServiceKeys:ghost-app:Service names service ghost, which is neither declared in the configuration nor stored; this key's starts are refused "
            + "(403 service_not_found) until it exists: create it (otpgate services create ghost) or point the key at another service",
            Assert.Single(warnings, w => w.Contains("ghost", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, w => w.Contains("shop-app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_service_that_a_configured_key_names_is_not_deleted_and_the_409_names_the_key()
    {
        using var admin = server.Api(ServicesServer.AdminKey);
        await CreateClinicAsync(admin);

        var response = await admin.DeleteAsync("/v1/services/clinic", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ServerFactory.ProblemAsync(response);
        Assert.Equal("service_has_keys", problem["code"]!.GetValue<string>());
        Assert.StartsWith("Api:ServiceKeys:clinic-app:Service names this service;", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/services/clinic", Ct)).StatusCode);
    }

    /// <summary>Creates <c>clinic</c> unless an earlier test of this class did.</summary>
    private static async Task CreateClinicAsync(HttpClient admin)
    {
        var created = await admin.PostAsJsonAsync("/v1/services", new { id = "clinic", friendlyName = "Clinic" }, Ct);
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, created.StatusCode.ToString());
    }

    [Fact]
    public void The_banner_names_each_kind_of_key_and_what_it_may_do_without_printing_a_key()
    {
        var banner = server.Banner.ToString();

        Assert.Contains("API keys:     configured in Api:Keys (tests): verifications of the default service\n", banner, StringComparison.Ordinal);
        Assert.Contains("                Api:ServiceKeys (clinic-app for clinic, ghost-app for ghost, shop-app for shop): verifications of that service only\n", banner, StringComparison.Ordinal);
        Assert.Contains("                Api:AdminKeys (ops): manage services at /v1/services (otpgate services); no verifications", banner, StringComparison.Ordinal);
        foreach (var key in new[] { ServerFactory.ApiKey, ServicesServer.ShopKey, ServicesServer.ClinicKey, ServicesServer.GhostKey, ServicesServer.AdminKey })
        {
            Assert.DoesNotContain(key, banner, StringComparison.Ordinal);
        }
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
    [InlineData("""{"id":"ok","settings":{"codeLength":3}}""", "settings.codeLength is 3; it must be between 4 and 10 digits")]
    [InlineData("""{"id":"ok","settings":{"codeLength":8,"testNumbers":{"+12125550199":"123456"}}}""", "settings.testNumbers has a code for")]
    [InlineData("""{"id":"ok","settings":{"colour":"red"}}""", "settings has no \"colour\"")]
    [InlineData("""{"id":"ok","settings":{"codeLength":"six"}}""", "settings could not be read")]
    [InlineData("""{"id":"ok","settings":{"sms":{"deliveryDeadline":"00:00:01"}}}""", "settings.sms.deliveryDeadline is 00:00:01; it must be between 00:00:05 and 00:10:00")]
    [InlineData("""{"id":"ok","settings":{"sms":{"texts":{"pt":"seu codigo"}}}}""", "settings.sms.texts.pt must contain {code}")]
    [InlineData("""{"id":"ok","settings":{"sms":{"speed":"fast"}}}""", "settings.sms has no \"speed\"")]
    [InlineData("""{"id":"shop"}""", "exists already")]
    public async Task Bad_input_is_a_clear_4xx(string body, string detail)
    {
        using var admin = server.Api(ServicesServer.AdminKey);

        var response = await admin.PostAsync("/v1/services", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, response.StatusCode.ToString());
        Assert.Contains(detail, (await ServerFactory.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
