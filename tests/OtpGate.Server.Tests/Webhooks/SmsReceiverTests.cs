using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Channels.Sms;
using OtpGate.Sandbox.Sms;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Channels;

namespace OtpGate.Server.Tests.Webhooks;

/// <summary>
/// The embedded default with SMS as its only channel (until the engine chooses channels, 1MSG's registration is taken
/// out, so every code goes by SMS): real sends to the sandbox's Twilio stand-in, whose signed status callbacks come back
/// to <c>POST /webhooks/sms/twilio</c> and move the verification.
/// </summary>
public sealed class SmsOnlyServer() : ServerFactory(null, services =>
    services.Remove(services.First(d => d.ServiceType == typeof(ICodeChannel))));

public sealed class SmsReceiverTests(SmsOnlyServer server) : IClassFixture<SmsOnlyServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string CallbackUrl => server.Services.GetRequiredService<SmsStatusCallbackUrl>().Value!;

    [Fact]
    public async Task The_stand_in_s_signed_callbacks_move_an_SMS_verification_to_delivered_and_the_SMS_s_code_approves_it()
    {
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();

        var delivered = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "delivered");
        var code = await server.ReadCodeAsync(phone);
        using var api = server.Api();
        var check = await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code }, Ct);

        Assert.Matches("^SM[0-9a-f]{32}$", delivered["sends"]![0]!["messageId"]!.GetValue<string>());
        Assert.Equal(["sent", "delivered"], DeliveryStatuses(delivered));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("approved", ServerFactory.Status(await server.GetAsync(id)));
    }

    [Fact]
    public async Task An_undelivered_SMS_is_a_classified_delivery_failure()
    {
        var id = (await server.StartAsync("+1 212 555 0122"))["id"]!.GetValue<string>();

        var failed = await server.WaitForAsync(id, v => ServerFactory.Status(v) == "failed");

        Assert.Equal("undeliverable", failed["failureReason"]!.GetValue<string>());
        Assert.Equal("failed", ServerFactory.Delivery(failed));
        Assert.Contains(failed["timeline"]!.AsArray(), e => e!["status"]?.GetValue<string>() == "failed" && e["detail"]!.ToString().Contains("30006", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_status_replayed_is_applied_once()
    {
        var (id, sid) = await SentSlowlyAsync();

        var first = await PostAsync(Form(sid, "delivered"), sign: true);
        var again = await PostAsync(Form(sid, "delivered"), sign: true);
        var after = await server.GetAsync(id);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal("delivered", ServerFactory.Delivery(after));
        Assert.Single(DeliveryStatuses(after), s => s == "delivered");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged")]
    [InlineData("other-token")]
    public async Task An_unsigned_or_forged_callback_is_403_and_changes_nothing(string? signature)
    {
        var (id, sid) = await SentSlowlyAsync();
        var form = Form(sid, "delivered");
        using var request = new HttpRequestMessage(HttpMethod.Post, SmsCallbackPath) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add(TwilioRequestSignature.HeaderName, signature == "other-token" ? TwilioRequestSignature.Compute("other-token", CallbackUrl, form) : signature);
        }

        using var client = server.CreateClient();
        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
        Assert.Equal("sent", ServerFactory.Delivery(await server.GetAsync(id)));
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_status_callback_is_400()
    {
        var missing = await PostAsync([new("MessageSid", "SM" + new string('1', 32))], sign: true);
        using var client = server.CreateClient();
        using var json = new HttpRequestMessage(HttpMethod.Post, SmsCallbackPath) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        json.Headers.Add(TwilioRequestSignature.HeaderName, "anything");
        var notForm = await client.SendAsync(json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("invalid_request", (await ServerFactory.ProblemAsync(missing))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, notForm.StatusCode);
    }

    [Fact]
    public async Task A_body_far_bigger_than_a_callback_is_400_before_any_signature_work()
    {
        var fields = Enumerable.Range(0, 150).Select(i => KeyValuePair.Create($"F{i}", "x")).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, SmsCallbackPath) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioRequestSignature.HeaderName, "anything");
        using var client = server.CreateClient();

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("over the limits", (await ServerFactory.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_banner_says_SMS_goes_to_the_sandbox_s_stand_in() =>
        Assert.Contains("SMS:          on, the sandbox's Twilio stand-in (from +15005550006", server.Banner.ToString(), StringComparison.Ordinal);

    private const string SmsCallbackPath = "/webhooks/sms/twilio";

    /// <summary>A verification whose SMS is sent and slow to be delivered (the stand-in's 12125550123, 20 s by default).</summary>
    private async Task<(string Id, string Sid)> SentSlowlyAsync()
    {
        // A purpose of its own each time: the same phone and purpose would get the pending verification back.
        using var api = server.Api();
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = "+1 212 555 0123", purpose = Guid.NewGuid().ToString("N") }, Ct);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<string>();
        var sent = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "sent" && v["sends"]!.AsArray().Count == 1);
        return (id, sent["sends"]![0]!["messageId"]!.GetValue<string>());
    }

    private static List<KeyValuePair<string, string>> Form(string sid, string status) =>
    [
        new("AccountSid", SandboxSmsOptions.DefaultAccountSid),
        new("MessageSid", sid),
        new("MessageStatus", status),
        new("SmsSid", sid),
        new("SmsStatus", status),
        new("To", "+12125550123"),
    ];

    private async Task<HttpResponseMessage> PostAsync(List<KeyValuePair<string, string>> form, bool sign)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SmsCallbackPath) { Content = new FormUrlEncodedContent(form) };
        if (sign)
        {
            request.Headers.Add(TwilioRequestSignature.HeaderName, TwilioRequestSignature.Compute(SandboxSmsOptions.DefaultAuthToken, CallbackUrl, form));
        }

        using var client = server.CreateClient();
        return await client.SendAsync(request, Ct);
    }

    private static List<string> DeliveryStatuses(JsonObject verification) =>
        [.. verification["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "delivery").Select(e => e!["status"]!.GetValue<string>())];
}
