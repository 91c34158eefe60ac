using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Api;

/// <summary>The /v1 surface of SMS: start and resend with a channel, each send's channel, the resource's fallback and smsAvailable, and their problems.</summary>
public sealed class SmsFallbackApiTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SecondChannel _sms = new(CodeChannels.SmsName, n => new CodeAccepted($"SM{n:D32}"));
    private CustomServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = new CustomServer(null, services => services.AddSingleton<ICodeChannel>(_sms));
        await _server.InitializeAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient api, string path, object? body)
    {
        var response = await api.PostAsJsonAsync(path, body, Ct);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!);
    }

    [Fact]
    public async Task A_start_with_channel_sms_is_an_SMS_verification_and_each_send_shows_its_channel()
    {
        using var api = _server.Api();
        var (status, body) = await PostAsync(api, "/v1/verifications", new { phone = _server.NextPhone(), channel = "sms" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("sms", body["channel"]!.GetValue<string>());
        Assert.Equal("sms", body["sends"]![0]!["channel"]!.GetValue<string>());
        Assert.Null(body["fallback"]);
        Assert.False(body["smsAvailable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_resend_with_channel_sms_sends_the_code_by_SMS_and_the_resource_says_why()
    {
        using var api = _server.Api();
        var started = await _server.StartAsync(_server.NextPhone());
        var id = started["id"]!.GetValue<string>();
        Assert.Equal("whatsapp", started["channel"]!.GetValue<string>());
        Assert.True(started["smsAvailable"]!.GetValue<bool>());

        var (status, body) = await PostAsync(api, $"/v1/verifications/{id}/resend", new { channel = "sms" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("sms", body["fallback"]!["channel"]!.GetValue<string>());
        Assert.Equal("user_request", body["fallback"]!["cause"]!.GetValue<string>());
        Assert.NotNull(body["fallback"]!["at"]);
        Assert.False(body["smsAvailable"]!.GetValue<bool>());
        Assert.Equal(["whatsapp", "sms"], body["sends"]!.AsArray().Select(s => s!["channel"]!.GetValue<string>()));
        Assert.Equal("fallback", body["sends"]![1]!["reason"]!.GetValue<string>());
        Assert.Contains(body["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "fallback");
    }

    [Fact]
    public async Task A_plain_resend_still_takes_no_body_and_a_wrong_channel_or_field_is_400()
    {
        using var api = _server.Api();
        var id = (await _server.StartAsync(_server.NextPhone()))["id"]!.GetValue<string>();

        var plain = await api.PostAsync($"/v1/verifications/{id}/resend", null, Ct);
        var fax = await PostAsync(api, $"/v1/verifications/{id}/resend", new { channel = "fax" });
        var typo = await PostAsync(api, $"/v1/verifications/{id}/resend", new { chanel = "sms" });
        var start = await PostAsync(api, "/v1/verifications", new { phone = _server.NextPhone(), channel = "pigeon" });

        Assert.Equal(HttpStatusCode.TooManyRequests, plain.StatusCode); // the cooldown: the body was not the problem
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (fax.Status, fax.Body["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (start.Status, start.Body["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_service_with_SMS_off_answers_a_resend_by_SMS_with_channel_unavailable()
    {
        await using var off = new CustomServer(new() { ["Verification:Sms:Fallback"] = "false" }, services => services.AddSingleton<ICodeChannel>(_sms));
        await off.InitializeAsync();
        using var api = off.Api();
        var started = await off.StartAsync(off.NextPhone());
        Assert.False(started["smsAvailable"]!.GetValue<bool>());

        var (status, body) = await PostAsync(api, $"/v1/verifications/{started["id"]!.GetValue<string>()}/resend", new { channel = "sms" });

        Assert.Equal((HttpStatusCode.BadRequest, "channel_unavailable"), (status, body["code"]!.GetValue<string>()));
        Assert.Contains("Sms:Fallback", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

/// <summary>
/// A server with SMS turned off (<c>Sms:Provider=none</c>, which also keeps the embedded default's stand-in away):
/// asking for SMS is a clear 400 on <c>/v1</c> and Twilio's 60223 on <c>/v2</c>, and nothing is sent.
/// </summary>
public sealed class NoSmsApiTests(NoSmsApiTests.Server server) : IClassFixture<NoSmsApiTests.Server>
{
    public const string AccountSid = "AC00112233445566778899aabbccddeeff";
    public const string AuthToken = "no-sms-token-0123456789abcdef";

    public sealed class Server() : ServerFactory(new Dictionary<string, string?>
    {
        ["Sms:Provider"] = "none",
        ["Api:TwilioAccounts:app:AccountSid"] = AccountSid,
        ["Api:TwilioAccounts:app:AuthToken"] = AuthToken,
        ["Api:TwilioAccounts:app:Service"] = "default",
    });

    [Fact]
    public void Sms_provider_none_registers_no_SMS_channel_even_in_the_embedded_default()
    {
        Assert.Null(server.Services.GetRequiredService<CodeChannels>().Find(CodeChannels.SmsName));
        Assert.Contains("SMS:          off", server.Banner.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_by_SMS_without_an_SMS_channel_is_400_channel_unavailable()
    {
        using var api = server.Api();
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone(), channel = "sms" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("channel_unavailable", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_v2_start_with_Channel_sms_without_an_SMS_channel_is_60223_saying_why()
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
        var services = await client.GetFromJsonAsync<JsonObject>("/v2/Services", TestContext.Current.CancellationToken);
        var sid = services!["services"]!.AsArray().Single(s => s!["friendly_name"]!.GetValue<string>() == "Default")!["sid"]!.GetValue<string>();

        var response = await OtpGate.Server.Tests.TwilioVerify.TwilioServer.PostFormAsync(client, $"/v2/Services/{sid}/Verifications",
            ("To", server.NextPhone().Replace(" ", "", StringComparison.Ordinal)), ("Channel", "sms"));

        var message = await OtpGate.Server.Tests.TwilioVerify.TwilioServer.ErrorAsync(response, 60223, HttpStatusCode.BadRequest);
        Assert.Contains("SMS is not configured", message, StringComparison.Ordinal);
    }
}
