using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>Each refusal of <c>/v2</c> verifications in Twilio's codes, and who sees which verification.</summary>
public sealed class TwilioVerificationErrorsTests(TwilioServer server) : IClassFixture<TwilioServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string NextPhone() => server.NextPhone().Replace(" ", "", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> StartAsync(HttpClient client, string service, params (string, string)[] fields) =>
        await TwilioServer.PostFormAsync(client, $"/v2/Services/{await server.ServiceSidAsync(service)}/Verifications", fields);

    [Theory]
    [InlineData("call", "not by call")]
    [InlineData("email", "not by email")]
    [InlineData("sna", "not by sna")]
    [InlineData("auto", "not by auto")]
    public async Task Channels_other_than_whatsapp_and_sms_are_60223_saying_why(string channel, string why)
    {
        using var shop = server.Shop();

        var message = await TwilioServer.ErrorAsync(await StartAsync(shop, "shop", ("To", NextPhone()), ("Channel", channel)), 60223, HttpStatusCode.BadRequest);

        Assert.Contains(why, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pigeon", "Channel")]
    [InlineData(null, "Channel")]
    public async Task A_channel_twilio_does_not_have_is_60200(string? channel, string parameter)
    {
        using var shop = server.Shop();
        (string, string)[] fields = channel is null ? [("To", NextPhone())] : [("To", NextPhone()), ("Channel", channel)];

        var message = await TwilioServer.ErrorAsync(await StartAsync(shop, "shop", fields), 60200, HttpStatusCode.BadRequest);

        Assert.StartsWith($"Invalid parameter: {parameter}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12125550100")]
    [InlineData("+1 555")]
    [InlineData("someone@example.com")]
    [InlineData("")]
    public async Task A_to_that_is_no_e164_phone_is_60200_to(string to)
    {
        using var shop = server.Shop();

        var message = await TwilioServer.ErrorAsync(await StartAsync(shop, "shop", ("To", to), ("Channel", "whatsapp")), 60200, HttpStatusCode.BadRequest);

        Assert.StartsWith("Invalid parameter: To", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_of_a_denied_country_is_60605()
    {
        using var shop = server.Shop();

        await TwilioServer.ErrorAsync(await StartAsync(shop, "shop", ("To", "+442079460958"), ("Channel", "whatsapp")), 60605, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_custom_code_is_sent_when_the_service_allows_it()
    {
        using var shop = server.Shop();
        var phone = NextPhone();

        var response = await StartAsync(shop, "shop", ("To", phone), ("Channel", "whatsapp"), ("CustomCode", "424242"), ("Tags", """{"k":"v"}"""), ("RateLimits", """{"a":"b"}"""),
            ("DeviceIp", "203.0.113.9"), ("Locale", "pt-BR"), ("Amount", "10"), ("Payee", "Shop"), ("CustomFriendlyName", "Shop"), ("RiskCheck", "enable"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("424242", await server.ReadCodeAsync(phone));
    }

    [Theory]
    [InlineData("other", "424242", 60204, HttpStatusCode.Forbidden)]
    [InlineData("shop", "4242", 60200, HttpStatusCode.BadRequest)]
    [InlineData("shop", "42a242", 60200, HttpStatusCode.BadRequest)]
    public async Task A_custom_code_the_service_does_not_take_is_refused(string service, string code, int twilioCode, HttpStatusCode status)
    {
        using var root = server.Admin();

        await TwilioServer.ErrorAsync(await StartAsync(root, service, ("To", NextPhone()), ("Channel", "whatsapp"), ("CustomCode", code)), twilioCode, status);
    }

    [Theory]
    [InlineData("Locale", "english!")]
    [InlineData("DeviceIp", "not-an-ip")]
    public async Task A_bad_optional_parameter_is_60200_naming_it(string name, string value)
    {
        using var shop = server.Shop();

        var message = await TwilioServer.ErrorAsync(await StartAsync(shop, "shop", ("To", NextPhone()), ("Channel", "whatsapp"), (name, value)), 60200, HttpStatusCode.BadRequest);

        Assert.StartsWith($"Invalid parameter: {name}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "To")]
    [InlineData("12", "Code")]
    [InlineData("12345678901", "Code")]
    public async Task A_check_without_code_or_without_to_is_60200(string? code, string parameter)
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        (string, string)[] fields = code is null ? [("Code", "123456")] : [("To", NextPhone()), ("Code", code)];

        var message = await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/VerificationCheck", fields), 60200, HttpStatusCode.BadRequest);

        Assert.StartsWith($"Invalid parameter: {parameter}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_for_a_number_without_a_pending_verification_is_20404()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");

        await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/VerificationCheck", ("To", NextPhone()), ("Code", "123456")),
            20404, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_code_of_another_length_is_not_valid_and_costs_no_attempt()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        Assert.Equal(HttpStatusCode.Created, (await StartAsync(shop, "shop", ("To", phone), ("Channel", "whatsapp"))).StatusCode);
        var code = await server.ReadCodeAsync(phone);

        for (var i = 0; i < 6; i++)
        {
            var answer = await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/VerificationCheck", ("To", phone), ("Code", "1234")), HttpStatusCode.OK);
            Assert.Equal(("pending", false), (answer["status"]!.GetValue<string>(), answer["valid"]!.GetValue<bool>()));
        }

        var approved = await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/VerificationCheck", ("To", phone), ("Code", code)), HttpStatusCode.OK);
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_credential_of_the_service_and_admin_accounts_see_its_verifications_and_no_one_else()
    {
        using var shop = server.Shop();
        var shopSid = await server.ServiceSidAsync("shop");
        var otherSid = await server.ServiceSidAsync("other");
        var phone = NextPhone();
        var sid = (await TwilioServer.JsonAsync(await StartAsync(shop, "shop", ("To", phone), ("Channel", "whatsapp")), HttpStatusCode.Created))["sid"]!.GetValue<string>();
        var issued = await server.IssueAsync(new { service = "shop" });
        var key = await server.IssueAsync(new { accountSid = issued["sid"]!.GetValue<string>() });
        var stranger = await server.IssueAsync(new { service = "other" });
        using var asKey = server.Twilio(key["sid"]!.GetValue<string>(), key["secret"]!.GetValue<string>());
        using var root = server.Admin();
        using var asStranger = server.Twilio(stranger["sid"]!.GetValue<string>(), stranger["authToken"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await asKey.GetAsync($"/v2/Services/{shopSid}/Verifications/{sid}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/v2/Services/{shopSid}/Verifications/{sid}", Ct)).StatusCode);
        await TwilioServer.ErrorAsync(await asStranger.GetAsync($"/v2/Services/{shopSid}/Verifications/{sid}", Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await asStranger.GetAsync($"/v2/Services/{otherSid}/Verifications/{sid}", Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await root.GetAsync($"/v2/Services/{otherSid}/Verifications/{sid}", Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(asStranger, $"/v2/Services/{otherSid}/VerificationCheck", ("To", phone), ("Code", "123456")),
            20404, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task V1_keys_and_v2_credentials_do_not_see_each_others_verifications()
    {
        using var root = server.Admin();
        var defaultSid = await server.ServiceSidAsync("default");
        var phone = NextPhone();
        var v2 = (await TwilioServer.JsonAsync(await StartAsync(root, "default", ("To", phone), ("Channel", "whatsapp")), HttpStatusCode.Created))["sid"]!.GetValue<string>();
        var v1 = (await server.StartAsync(NextPhone()))["id"]!.GetValue<string>();
        using var key = server.Api();

        var v1Sid = "VE" + Convert.ToHexStringLower(Convert.FromBase64String(v1[3..].Replace('-', '+').Replace('_', '/') + "=="));
        await TwilioServer.ErrorAsync(await root.GetAsync($"/v2/Services/{defaultSid}/Verifications/{v1Sid}", Ct), 20404, HttpStatusCode.NotFound);
        var v2Id = "vf_" + Convert.ToBase64String(Convert.FromHexString(v2[2..])).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(HttpStatusCode.NotFound, (await key.GetAsync($"/v1/verifications/{v2Id}", Ct)).StatusCode);
        // The /v1 key's own start for the same phone gets a verification of its own.
        Assert.NotEqual(v2Id, (await server.StartAsync(phone))["id"]!.GetValue<string>());
    }
}
