using System.Net;
using System.Text.Json.Nodes;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>Start, fetch, check, cancel and approve through <c>/v2</c>, with Twilio's semantics, over raw HTTP with form bodies.</summary>
public sealed class TwilioVerificationsTests(TwilioServer server) : IClassFixture<TwilioServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string NextPhone() => server.NextPhone().Replace(" ", "", StringComparison.Ordinal);

    private static async Task<JsonObject> StartAsync(HttpClient client, string serviceSid, string phone, params (string, string)[] more) =>
        await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(client, $"/v2/Services/{serviceSid}/Verifications", [("To", phone), ("Channel", "whatsapp"), .. more]),
            HttpStatusCode.Created);

    private static Task<HttpResponseMessage> CheckAsync(HttpClient client, string serviceSid, params (string, string)[] fields) =>
        TwilioServer.PostFormAsync(client, $"/v2/Services/{serviceSid}/VerificationCheck", fields);

    [Fact]
    public async Task A_start_answers_twilios_verification_and_delivers_the_code_on_whatsapp()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();

        var started = await StartAsync(shop, serviceSid, phone);

        var sid = started["sid"]!.GetValue<string>();
        Assert.Matches("^VE[0-9a-f]{32}$", sid);
        Assert.Equal((serviceSid, TwilioServer.ShopAccount, phone, "whatsapp", "pending", false),
            (started["service_sid"]!.GetValue<string>(), started["account_sid"]!.GetValue<string>(), started["to"]!.GetValue<string>(),
             started["channel"]!.GetValue<string>(), started["status"]!.GetValue<string>(), started["valid"]!.GetValue<bool>()));
        Assert.Equal("""{"carrier":null}""", started["lookup"]!.ToJsonString());
        Assert.Equal((null, null, null), (started["amount"], started["payee"], started["sna"]));
        var attempt = started["send_code_attempts"]!.AsArray().Single()!;
        Assert.Matches("^VL[0-9a-f]{32}$", attempt["attempt_sid"]!.GetValue<string>());
        Assert.Equal("whatsapp", attempt["channel"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", attempt["time"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", started["date_created"]!.GetValue<string>());
        Assert.Equal($"{server.Root}v2/Services/{serviceSid}/Verifications/{sid}", started["url"]!.GetValue<string>());
        Assert.Equal(6, (await server.ReadCodeAsync(phone)).Length);

        var fetched = await TwilioServer.JsonAsync(await shop.GetAsync($"/v2/Services/{serviceSid}/Verifications/{sid}", Ct), HttpStatusCode.OK);
        Assert.Equal((sid, "pending"), (fetched["sid"]!.GetValue<string>(), fetched["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_code_is_200_pending_not_valid_the_right_one_approves_and_then_the_verification_is_not_found()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        var sid = (await StartAsync(shop, serviceSid, phone))["sid"]!.GetValue<string>();
        var code = await server.ReadCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";

        var refused = await TwilioServer.JsonAsync(await CheckAsync(shop, serviceSid, ("To", phone), ("Code", wrong)), HttpStatusCode.OK);
        Assert.Equal((sid, "pending", false), (refused["sid"]!.GetValue<string>(), refused["status"]!.GetValue<string>(), refused["valid"]!.GetValue<bool>()));
        Assert.Equal("[]", refused["sna_attempts_error_codes"]!.ToJsonString());
        Assert.Null(refused["url"]);

        var approved = await TwilioServer.JsonAsync(await CheckAsync(shop, serviceSid, ("To", phone), ("Code", code)), HttpStatusCode.OK);
        Assert.Equal(("approved", true), (approved["status"]!.GetValue<string>(), approved["valid"]!.GetValue<bool>()));

        await TwilioServer.ErrorAsync(await CheckAsync(shop, serviceSid, ("VerificationSid", sid), ("Code", code)), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await CheckAsync(shop, serviceSid, ("To", phone), ("Code", code)), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await shop.GetAsync($"/v2/Services/{serviceSid}/Verifications/{sid}", Ct), 20404, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_check_by_verification_sid_approves()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        var sid = (await StartAsync(shop, serviceSid, phone))["sid"]!.GetValue<string>();

        var approved = await TwilioServer.JsonAsync(await CheckAsync(shop, serviceSid, ("VerificationSid", sid), ("Code", await server.ReadCodeAsync(phone))), HttpStatusCode.OK);

        Assert.Equal((sid, "approved", true, phone), (approved["sid"]!.GetValue<string>(), approved["status"]!.GetValue<string>(), approved["valid"]!.GetValue<bool>(), approved["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_repeat_start_resends_the_same_code_in_the_same_verification_with_another_attempt()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        var first = await StartAsync(shop, serviceSid, phone);
        await server.ReadCodeAsync(phone);

        var second = await StartAsync(shop, serviceSid, phone);

        Assert.Equal(first["sid"]!.GetValue<string>(), second["sid"]!.GetValue<string>());
        var attempts = second["send_code_attempts"]!.AsArray().Select(a => a!["attempt_sid"]!.GetValue<string>()).ToList();
        Assert.Equal(2, attempts.Distinct().Count());
        Assert.Equal(first["send_code_attempts"]![0]!["attempt_sid"]!.GetValue<string>(), attempts[0]);
        var codes = await server.ReadCodesAsync(phone, 2);
        Assert.Equal(codes[0], codes[1]);
    }

    [Fact]
    public async Task Answers_write_the_plus_of_a_number_as_twilio_does_not_as_an_escape()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();

        var started = await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/Verifications", ("To", phone), ("Channel", "whatsapp"));
        var refused = await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/Verifications", ("To", phone[1..]), ("Channel", "whatsapp"));

        var body = await started.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"\"to\":\"{phone}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", body, StringComparison.OrdinalIgnoreCase);
        var error = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("e.g. +15017122661", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_past_the_send_limit_are_60203_with_retry_after()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        for (var i = 0; i < 5; i++)
        {
            await StartAsync(shop, serviceSid, phone);
        }

        var response = await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/Verifications", ("To", phone), ("Channel", "whatsapp"));

        Assert.StartsWith("Max send attempts reached", await TwilioServer.ErrorAsync(response, 60203, HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Checks_past_the_attempts_are_60202_and_the_verification_is_then_not_found()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        var sid = (await StartAsync(shop, serviceSid, phone))["sid"]!.GetValue<string>();
        var wrong = (await server.ReadCodeAsync(phone)) == "000000" ? "111111" : "000000";
        JsonObject last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await TwilioServer.JsonAsync(await CheckAsync(shop, serviceSid, ("VerificationSid", sid), ("Code", wrong)), HttpStatusCode.OK);
        }

        Assert.Equal(("max_attempts_reached", false), (last["status"]!.GetValue<string>(), last["valid"]!.GetValue<bool>()));
        await TwilioServer.ErrorAsync(await CheckAsync(shop, serviceSid, ("VerificationSid", sid), ("Code", wrong)), 60202, HttpStatusCode.TooManyRequests);
        await TwilioServer.ErrorAsync(await shop.GetAsync($"/v2/Services/{serviceSid}/Verifications/{sid}", Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(
            await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/Verifications/{sid}", ("Status", "canceled")), 20404, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_check_by_number_after_the_last_attempt_is_60202_as_by_sid()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var phone = NextPhone();
        await StartAsync(shop, serviceSid, phone);
        var wrong = (await server.ReadCodeAsync(phone)) == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await TwilioServer.JsonAsync(await CheckAsync(shop, serviceSid, ("To", phone), ("Code", wrong)), HttpStatusCode.OK);
        }

        var message = await TwilioServer.ErrorAsync(await CheckAsync(shop, serviceSid, ("To", phone), ("Code", wrong)), 60202, HttpStatusCode.TooManyRequests);

        Assert.StartsWith("Max check attempts reached", message, StringComparison.Ordinal);
        // A new verification for the number is the one checked from then on.
        await StartAsync(shop, serviceSid, phone);
        var fresh = await TwilioServer.JsonAsync(await CheckAsync(shop, serviceSid, ("To", phone), ("Code", wrong)), HttpStatusCode.OK);
        Assert.Equal("pending", fresh["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeat_start_inside_the_resend_cooldown_is_20429_with_retry_after_and_sends_nothing()
    {
        using var root = server.Admin();
        var serviceSid = await server.ServiceSidAsync("slow");
        var phone = NextPhone();
        var sid = (await StartAsync(root, serviceSid, phone))["sid"]!.GetValue<string>();

        var response = await TwilioServer.PostFormAsync(root, $"/v2/Services/{serviceSid}/Verifications", ("To", phone), ("Channel", "whatsapp"));

        var message = await TwilioServer.ErrorAsync(response, 20429, HttpStatusCode.TooManyRequests);
        var wait = response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Equal($"Too many requests: a code was just sent to this number; a new one can be sent in {wait.TotalSeconds} seconds.", message);
        var fetched = await TwilioServer.JsonAsync(await root.GetAsync($"/v2/Services/{serviceSid}/Verifications/{sid}", Ct), HttpStatusCode.OK);
        Assert.Single(fetched["send_code_attempts"]!.AsArray());
    }

    [Theory]
    [InlineData("canceled", false)]
    [InlineData("approved", true)]
    public async Task An_update_cancels_or_approves_and_the_verification_is_then_not_found(string status, bool valid)
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var sid = (await StartAsync(shop, serviceSid, NextPhone()))["sid"]!.GetValue<string>();
        var path = $"/v2/Services/{serviceSid}/Verifications/{sid}";

        var updated = await TwilioServer.JsonAsync(await TwilioServer.PostFormAsync(shop, path, ("Status", status)), HttpStatusCode.OK);

        Assert.Equal((sid, status, valid), (updated["sid"]!.GetValue<string>(), updated["status"]!.GetValue<string>(), updated["valid"]!.GetValue<bool>()));
        await TwilioServer.ErrorAsync(await shop.GetAsync(path, Ct), 20404, HttpStatusCode.NotFound);
        await TwilioServer.ErrorAsync(await TwilioServer.PostFormAsync(shop, path, ("Status", "canceled")), 20404, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_update_to_another_status_is_60200()
    {
        using var shop = server.Shop();
        var serviceSid = await server.ServiceSidAsync("shop");
        var sid = (await StartAsync(shop, serviceSid, NextPhone()))["sid"]!.GetValue<string>();

        var message = await TwilioServer.ErrorAsync(
            await TwilioServer.PostFormAsync(shop, $"/v2/Services/{serviceSid}/Verifications/{sid}", ("Status", "pending")), 60200, HttpStatusCode.BadRequest);

        Assert.StartsWith("Invalid parameter: Status", message, StringComparison.Ordinal);
    }
}
