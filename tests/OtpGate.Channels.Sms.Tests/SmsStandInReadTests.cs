using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Channels.Sms.Tests.Support;
using OtpGate.Sandbox.Sms;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010;
using Twilio.Rest.Api.V2010.Account;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>
/// The stand-in's reads (a message, the account, its numbers, its Messaging Service) and its sender checks, in Twilio's
/// shapes: plain requests, and Twilio's own C# library for the message and the account.
/// </summary>
public sealed class SmsStandInReadTests : IAsyncLifetime
{
    private SmsSandbox _sandbox = null!;
    private FormCallbackReceiver _receiver = null!;
    private System.Net.Http.HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SmsSandbox.StartAsync();
        _receiver = await FormCallbackReceiver.StartAsync();
        _http = new System.Net.Http.HttpClient { BaseAddress = _sandbox.Server.BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_fetched_message_has_the_status_it_reached_with_Twilio_s_error_code()
    {
        var (_, sent) = await _sandbox.SendAsync(SmsSandbox.Fields("+12125550121", statusCallback: _receiver.BaseUrl + "/s"));
        var sid = sent["sid"]!.GetValue<string>();
        await _receiver.WaitForAsync("/s", 3);

        var (status, body) = await GetAsync($"2010-04-01/Accounts/{SmsSandbox.AccountSid}/Messages/{sid}.json");

        Assert.Equal(200, status);
        Assert.Equal(sid, body["sid"]!.GetValue<string>());
        Assert.Equal("undelivered", body["status"]!.GetValue<string>());
        Assert.Equal(30003, body["error_code"]!.GetValue<int>());
        Assert.Equal("+12125550121", body["to"]!.GetValue<string>());
        Assert.Equal(SandboxSmsOptions.DefaultFrom, body["from"]!.GetValue<string>());
        Assert.NotNull(body["date_sent"]);
    }

    [Fact]
    public async Task Twilio_s_library_fetches_the_message_and_the_account_from_the_stand_in()
    {
        var (_, sent) = await _sandbox.SendAsync(SmsSandbox.Fields("+12125550100", statusCallback: _receiver.BaseUrl + "/s"));
        await _receiver.WaitForAsync("/s", 3);
        using var http = new System.Net.Http.HttpClient(new RedirectToSandbox(_sandbox.Server.BaseUrl) { InnerHandler = new HttpClientHandler() });
        var client = new TwilioRestClient(SmsSandbox.AccountSid, SmsSandbox.AuthToken, httpClient: new SystemNetHttpClient(http));

        var message = await MessageResource.FetchAsync(sent["sid"]!.GetValue<string>(), client: client);
        var account = await AccountResource.FetchAsync(client: client);

        Assert.Equal(MessageResource.StatusEnum.Delivered, message.Status);
        Assert.Equal(SmsSandbox.AccountSid, account.Sid);
        Assert.Equal(AccountResource.StatusEnum.Active, account.Status);
        var missing = await Assert.ThrowsAsync<ApiException>(() => MessageResource.FetchAsync("SM" + new string('0', 32), client: client));
        Assert.Equal(20404, missing.Code);
    }

    [Theory]
    [InlineData("2010-04-01/Accounts/AC00000000000000000000000000000001.json")]
    [InlineData("2010-04-01/Accounts/AC00000000000000000000000000000001/IncomingPhoneNumbers.json?PhoneNumber=%2B15005550006")]
    [InlineData("v1/Services/MG00000000000000000000000000000001")]
    public async Task Each_read_needs_the_account_s_credentials(string path)
    {
        Assert.Equal(200, (await GetAsync(path)).Status);
        var (status, body) = await GetAsync(path, password: "wrong");
        Assert.Equal(401, status);
        Assert.Equal(20003, body["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("+15005550006", 1)]
    [InlineData("+15005550009", 0)]
    public async Task The_account_s_numbers_are_the_stand_in_s_own_one(string number, int count)
    {
        var (_, body) = await GetAsync($"2010-04-01/Accounts/{SmsSandbox.AccountSid}/IncomingPhoneNumbers.json?PhoneNumber={Uri.EscapeDataString(number)}");

        var numbers = body["incoming_phone_numbers"]!.AsArray();
        Assert.Equal(count, numbers.Count);
        Assert.All(numbers, n => Assert.True(n!["capabilities"]!["sms"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Another_Messaging_Service_is_Twilio_s_404()
    {
        var (status, body) = await GetAsync("v1/Services/MG00000000000000000000000000000009");

        Assert.Equal(404, status);
        Assert.Equal(20404, body["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("+15005550009", null, 21659)]
    [InlineData(null, "MG00000000000000000000000000000009", 21701)]
    public async Task A_send_from_a_sender_not_on_the_account_is_refused(string? from, string? service, int code)
    {
        var (status, body) = await _sandbox.SendAsync(SmsSandbox.Fields("+12125550100", from: from, service: service));

        Assert.Equal(400, status);
        Assert.Equal(code, body["code"]!.GetValue<int>());
        Assert.Empty(_sandbox.Server.Messages.GetMessages("12125550100"));
    }

    [Theory]
    [InlineData("15005550006", null, "Sandbox:Sms:From")]
    [InlineData(null, "MG1", "Sandbox:Sms:MessagingServiceSid")]
    public async Task The_stand_in_s_own_senders_must_be_Twilio_shaped(string? from, string? service, string key)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => OtpGate.Sandbox.SandboxServer.StartAsync(o =>
        {
            o.Sms.From = from ?? o.Sms.From;
            o.Sms.MessagingServiceSid = service ?? o.Sms.MessagingServiceSid;
        }, cancellationToken: Ct));

        Assert.Contains(key, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private async Task<(int Status, JsonObject Body)> GetAsync(string path, string? password = null)
    {
        using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SmsSandbox.AccountSid}:{password ?? SmsSandbox.AuthToken}")));
        using var response = await _http.SendAsync(request, Ct);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject());
    }

    private sealed class RedirectToSandbox(Uri target) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
