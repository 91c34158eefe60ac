using System.Net;
using System.Text.Json.Nodes;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary><c>/v2/Services</c>: create, list with Twilio's paging, fetch, update, delete; what an account of one service may not do.</summary>
public sealed class TwilioServicesTests(TwilioServer server) : IClassFixture<TwilioServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_account_creates_fetches_updates_and_deletes_a_service()
    {
        using var root = server.Admin();

        var created = await TwilioServer.JsonAsync(
            await TwilioServer.PostFormAsync(root, "/v2/Services", ("FriendlyName", "My App"), ("CodeLength", "4"), ("LookupEnabled", "true")), HttpStatusCode.Created);
        var sid = created["sid"]!.GetValue<string>();
        Assert.Matches("^VA[0-9a-f]{32}$", sid);
        Assert.Equal(("My App", 4, false, TwilioServer.RootAccount), (created["friendly_name"]!.GetValue<string>(), created["code_length"]!.GetValue<int>(),
            created["custom_code_enabled"]!.GetValue<bool>(), created["account_sid"]!.GetValue<string>()));
        Assert.Equal($"{server.Root}v2/Services/{sid}", created["url"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", created["date_created"]!.GetValue<string>());

        var updated = await TwilioServer.JsonAsync(
            await TwilioServer.PostFormAsync(root, $"/v2/Services/{sid}", ("CodeLength", "8"), ("CustomCodeEnabled", "true")), HttpStatusCode.OK);
        Assert.Equal((8, true, "My App"), (updated["code_length"]!.GetValue<int>(), updated["custom_code_enabled"]!.GetValue<bool>(), updated["friendly_name"]!.GetValue<string>()));
        var fetched = await TwilioServer.JsonAsync(await root.GetAsync($"/v2/Services/{sid}", Ct), HttpStatusCode.OK);
        Assert.Equal(updated.ToJsonString(), fetched.ToJsonString());

        var deleted = await root.DeleteAsync($"/v2/Services/{sid}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await TwilioServer.ErrorAsync(await root.GetAsync($"/v2/Services/{sid}", Ct), 20404, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_service_made_through_v2_gets_an_id_from_its_friendly_name_for_v1_and_the_cli()
    {
        using var root = server.Admin();
        var first = await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(root, "/v2/Services", ("FriendlyName", "Clinic Appointments!")), HttpStatusCode.Created);
        var second = await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(root, "/v2/Services", ("FriendlyName", "Clinic Appointments!")), HttpStatusCode.Created);

        Assert.Equal(first["sid"]!.GetValue<string>(), await server.ServiceSidAsync("clinic-appointments"));
        Assert.Equal(second["sid"]!.GetValue<string>(), await server.ServiceSidAsync("clinic-appointments-2"));
    }

    [Fact]
    public async Task The_list_pages_as_twilios_with_next_page_urls_on_this_server()
    {
        using var root = server.Admin();
        var seen = new List<string>();
        var url = "/v2/Services?PageSize=1";
        JsonObject page;
        do
        {
            page = await TwilioServer.JsonAsync(await root.GetAsync(url, Ct), HttpStatusCode.OK);
            seen.AddRange(page["services"]!.AsArray().Select(s => s!["sid"]!.GetValue<string>()));
            url = page["meta"]!["next_page_url"]?.GetValue<string>()!;
            Assert.True(url is null || url.StartsWith($"{server.Root}v2/Services?PageSize=1&Page=", StringComparison.Ordinal), url);
        }
        while (url is not null);

        var meta = page["meta"]!.AsObject();
        Assert.Equal(["first_page_url", "key", "next_page_url", "page", "page_size", "previous_page_url", "url"], meta.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("services", 1), (meta["key"]!.GetValue<string>(), meta["page_size"]!.GetValue<int>()));
        Assert.Equal($"{server.Root}v2/Services?PageSize=1&Page=0", meta["first_page_url"]!.GetValue<string>());
        Assert.Contains(await server.ServiceSidAsync("default"), seen);
        Assert.Contains(await server.ServiceSidAsync("shop"), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task An_account_of_one_service_sees_only_it_and_creates_or_deletes_none()
    {
        using var shop = server.Shop();
        var shopSid = await server.ServiceSidAsync("shop");
        var otherSid = await server.ServiceSidAsync("other");

        var list = await TwilioServer.JsonAsync(await shop.GetAsync("/v2/Services", Ct), HttpStatusCode.OK);
        Assert.Equal([shopSid], list["services"]!.AsArray().Select(s => s!["sid"]!.GetValue<string>()));

        await TwilioServer.ErrorAsync(await shop.GetAsync($"/v2/Services/{otherSid}", Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(shop, $"/v2/Services/{otherSid}", ("FriendlyName", "Mine")), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await shop.DeleteAsync($"/v2/Services/{otherSid}", Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(shop, "/v2/Services", ("FriendlyName", "Mine")), 20403, HttpStatusCode.Forbidden);
        await TwilioServer.ErrorAsync(await shop.DeleteAsync($"/v2/Services/{shopSid}", Ct), 20403, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await shop.GetAsync($"/v2/Services/{shopSid}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("CodeLength", "3")]
    [InlineData("CodeLength", "eleven")]
    [InlineData("CustomCodeEnabled", "maybe")]
    [InlineData("FriendlyName", "")]
    public async Task A_bad_parameter_is_60200_naming_it(string name, string value)
    {
        using var root = server.Admin();
        (string, string)[] fields = name == "FriendlyName" ? [] : [("FriendlyName", "Bad"), (name, value)];

        var message = await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(root, "/v2/Services", fields), 60200, HttpStatusCode.BadRequest);

        Assert.StartsWith($"Invalid parameter: {name}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_service_is_not_deleted()
    {
        using var root = server.Admin();

        var message = await TwilioServer.ErrorAsync(await root.DeleteAsync($"/v2/Services/{await server.ServiceSidAsync("default")}", Ct), 20403, HttpStatusCode.Forbidden);

        Assert.Contains("default service", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shop", "CodeLength", "8", "Services:shop:CodeLength")]
    [InlineData("shop", "FriendlyName", "Mine", "Services:shop:FriendlyName")]
    [InlineData("shop", "LookupEnabled", "true", "Services:shop:<Setting>")]
    [InlineData("default", "CustomCodeEnabled", "true", "Verification:CustomCodeEnabled")]
    [InlineData("default", "FriendlyName", "Mine", "Services:default:FriendlyName")]
    public async Task A_configured_service_is_not_updated_and_the_answer_names_the_key_to_change(string service, string name, string value, string key)
    {
        using var root = server.Admin();
        var sid = await server.ServiceSidAsync(service);
        var before = await TwilioServer.JsonAsync(await root.GetAsync($"/v2/Services/{sid}", Ct), HttpStatusCode.OK);

        var message = await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(root, $"/v2/Services/{sid}", (name, value)), 20403, HttpStatusCode.Forbidden);

        Assert.Contains($"change {key} there and restart", message, StringComparison.Ordinal);
        Assert.Equal(before.ToJsonString(), (await TwilioServer.JsonAsync(await root.GetAsync($"/v2/Services/{sid}", Ct), HttpStatusCode.OK)).ToJsonString());
    }

    [Fact]
    public async Task An_account_of_a_configured_service_does_not_update_it_either()
    {
        using var shop = server.Shop();

        var message = await TwilioServer.ErrorAsync(
            await TwilioServer.PostFormAsync(shop, $"/v2/Services/{await server.ServiceSidAsync("shop")}", ("CodeLength", "4")), 20403, HttpStatusCode.Forbidden);

        Assert.Contains("Services:shop:CodeLength", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_service_is_not_deleted_and_the_answer_names_its_section()
    {
        using var root = server.Admin();
        var sid = await server.ServiceSidAsync("other");

        var message = await TwilioServer.ErrorAsync(await root.DeleteAsync($"/v2/Services/{sid}", Ct), 20403, HttpStatusCode.Forbidden);

        Assert.Contains("remove Services:other there and restart", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/v2/Services/{sid}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_service_a_v1_key_names_is_not_deleted_until_the_key_is_repointed()
    {
        using var root = server.Admin();
        var created = await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(root, "/v2/Services", ("FriendlyName", "Keyed")), HttpStatusCode.Created);
        var sid = created["sid"]!.GetValue<string>();
        Assert.Equal(sid, await server.ServiceSidAsync("keyed"));

        var message = await TwilioServer.ErrorAsync(await root.DeleteAsync($"/v2/Services/{sid}", Ct), 20403, HttpStatusCode.Forbidden);

        Assert.StartsWith("Api:ServiceKeys:keyed-app:Service names this service", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/v2/Services/{sid}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v2/Services/VA00000000000000000000000000000000")]
    [InlineData("GET", "/v2/Services/not-a-sid")]
    [InlineData("GET", "/v2/Services/VA00000000000000000000000000000000/RateLimits")]
    [InlineData("POST", "/v2/Services/VA00000000000000000000000000000000/Verifications")]
    [InlineData("GET", "/v2/Nothing")]
    public async Task What_is_not_there_is_20404_with_twilios_sentence(string method, string path)
    {
        using var root = server.Admin();

        var response = await root.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        Assert.Equal($"The requested resource {path[3..]} was not found", await TwilioServer.ErrorAsync(response, 20404, HttpStatusCode.NotFound));
    }
}
