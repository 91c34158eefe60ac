using OtpGate.Channels.Sms.Tests.Support;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>
/// Twilio's official C# library sends an SMS through the stand-in: its own client, pointed at the sandbox by a handler
/// that keeps the path and changes the host (the library has no base-address setting).
/// </summary>
public sealed class TwilioLibraryTests : IAsyncLifetime
{
    private SmsSandbox _sandbox = null!;
    private System.Net.Http.HttpClient _http = null!;
    private TwilioRestClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SmsSandbox.StartAsync();
        _http = new System.Net.Http.HttpClient(new RedirectToSandbox(_sandbox.Server.BaseUrl) { InnerHandler = new HttpClientHandler() });
        _client = new TwilioRestClient(SmsSandbox.AccountSid, SmsSandbox.AuthToken, httpClient: new SystemNetHttpClient(_http));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task MessageResource_CreateAsync_gets_the_sandbox_s_queued_message()
    {
        var message = await MessageResource.CreateAsync(
            to: new PhoneNumber("+12125550100"),
            from: new PhoneNumber("+15005550006"),
            body: "Your OtpGate code is 482913",
            statusCallback: new Uri("http://127.0.0.1:9/status"),
            client: _client);

        Assert.Matches("^SM[0-9a-f]{32}$", message.Sid);
        Assert.Equal(MessageResource.StatusEnum.Queued, message.Status);
        Assert.Null(message.ErrorCode);
        Assert.Equal("+12125550100", message.To);
        Assert.Equal(SmsSandbox.AccountSid, message.AccountSid);
        Assert.Equal("482913", _sandbox.Server.Messages.GetLatestMessage("12125550100")!.Code);
    }

    [Fact]
    public async Task A_landline_is_the_library_s_ApiException_21614()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => MessageResource.CreateAsync(
            to: new PhoneNumber("+12125550126"), from: new PhoneNumber("+15005550006"), body: "Your code is 1", client: _client));

        Assert.Equal(21614, error.Code);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task A_rate_limited_number_is_the_library_s_ApiException_20429()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => MessageResource.CreateAsync(
            to: new PhoneNumber("+12125550124"), from: new PhoneNumber("+15005550006"), body: "Your code is 1", client: _client));

        Assert.Equal(20429, error.Code);
        Assert.Equal(429, error.Status);
    }

    /// <summary>Sends every request to the sandbox's scheme, host and port, keeping the path and query.</summary>
    private sealed class RedirectToSandbox(Uri target) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
