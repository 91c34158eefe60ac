using System.Net;
using System.Net.Sockets;
using OtpGate.Channels.Sms.Tests.Support;
using OtpGate.Sandbox.Sms;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>
/// What the operator must fix (credentials, sender), what must wait (a Twilio that cannot be reached), what is unknown
/// (no answer in time), in the engine's terms; and what never reaches a log or a detail: the code, the text, the token,
/// the full number.
/// </summary>
public sealed class SmsChannelFailureTests : IAsyncLifetime
{
    private SmsSandbox _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await SmsSandbox.StartAsync();

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_wrong_auth_token_is_a_permanent_unauthorized_refusal_naming_the_keys_to_fix()
    {
        const string Token = "tok-5ecr3t-Zq9xW2vL7pK4mN8";
        await using var host = SmsChannelHost.Start(_sandbox.Server.BaseUrl, null, new Dictionary<string, string?> { ["Sms:Twilio:AuthToken"] = Token });

        var rejected = Assert.IsType<CodeRejected>(await host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));

        Assert.Equal(FailureReason.Unauthorized, rejected.Reason);
        Assert.True(rejected.Permanent);
        Assert.Contains("20003", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("Sms:Twilio:AuthToken", rejected.Detail, StringComparison.Ordinal);
        Assert.All(host.LogLines(), line => Assert.DoesNotContain(Token, line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sms:Twilio:From", "+15005550009", "21659", "Sms:Twilio:From")]
    [InlineData("Sms:Twilio:MessagingServiceSid", "MG00000000000000000000000000000009", "21701", "Sms:Twilio:MessagingServiceSid")]
    public async Task A_sender_not_on_the_account_is_a_permanent_invalid_request_naming_the_key(string key, string value, string code, string fix)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.EndsWith("MessagingServiceSid", StringComparison.Ordinal))
        {
            settings["Sms:Twilio:From"] = "";
        }

        await using var host = SmsChannelHost.Start(_sandbox.Server.BaseUrl, null, settings);

        var rejected = Assert.IsType<CodeRejected>(await host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));

        Assert.Equal(FailureReason.InvalidRequest, rejected.Reason);
        Assert.True(rejected.Permanent);
        Assert.Contains(code, rejected.Detail, StringComparison.Ordinal);
        Assert.Contains(fix, rejected.Detail, StringComparison.Ordinal);
        Assert.Empty(_sandbox.Server.Messages.GetMessages("12125550100"));
    }

    [Fact]
    public async Task A_Twilio_that_refuses_the_connection_is_retry_later()
    {
        var closed = ClosedPort();
        await using var host = SmsChannelHost.Start(new Uri($"http://127.0.0.1:{closed}/"), null);

        var later = Assert.IsType<CodeRetryLater>(await host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));

        Assert.Null(later.After);
        Assert.Contains("could not be reached", later.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Twilio_that_takes_the_request_and_never_answers_is_an_unknown_outcome()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var host = SmsChannelHost.Start(new Uri($"http://127.0.0.1:{port}/"), null,
            new Dictionary<string, string?> { ["Sms:Twilio:AttemptTimeout"] = "00:00:00.200" });

        var unknown = Assert.IsType<CodeOutcomeUnknown>(await host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));

        Assert.Contains("did not answer", unknown.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_log_line_or_detail_holds_the_code_the_text_the_token_or_the_full_number()
    {
        var receiver = await FormCallbackReceiver.StartAsync();
        await using var _ = receiver;
        await using var host = SmsChannelHost.Start(_sandbox.Server.BaseUrl, receiver.BaseUrl);
        List<CodeSendOutcome> outcomes = [];
        foreach (var to in new[] { "+12125550100", "+12125550124", "+12125550125", "+12125550126" })
        {
            outcomes.Add(await host.Channel.SendCodeAsync(SmsChannelHost.Message(to), Ct));
        }

        var invalid = SmsChannelHost.Message("+12125550100") with { Phone = new OtpGate.Verification.Phones.PhoneNumber("1212555", "US") };
        outcomes.Add(await host.Channel.SendCodeAsync(invalid, Ct));

        var lines = host.LogLines();
        Assert.Contains(lines, l => l.Contains("12*******00", StringComparison.Ordinal));
        var texts = lines.Concat(outcomes.Select(o => o.ToString())).ToList();
        foreach (var secret in new[] { SmsChannelHost.Code, SandboxSmsOptions.DefaultAuthToken, "2125550100", "2125550126", "1212555" })
        {
            Assert.All(texts, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
