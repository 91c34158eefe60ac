using OtpGate.Channels.Sms.Tests.Support;
using Twilio.Security;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>
/// The stand-in's status callbacks: form-encoded as Twilio's, in order, signed so that Twilio's own
/// <see cref="RequestValidator"/> (and ours) accepts them with the sandbox's auth token.
/// </summary>
public sealed class SmsStandInCallbackTests : IAsyncLifetime
{
    private SmsSandbox _sandbox = null!;
    private FormCallbackReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SmsSandbox.StartAsync();
        _receiver = await FormCallbackReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Theory]
    [InlineData("+12125550100", "queued,sent,delivered", null)]
    [InlineData("+12125550121", "queued,sent,undelivered", "30003")]
    [InlineData("+12125550122", "queued,failed", "30006")]
    [InlineData("+12125550123", "queued,sent,delivered", null)]
    public async Task Each_status_is_posted_in_order_signed_for_Twilio_s_validator(string to, string statuses, string? errorCode)
    {
        var path = "/sms/status?service=signup";
        var callbackUrl = _receiver.BaseUrl + path;
        var (_, answer) = await _sandbox.SendAsync(SmsSandbox.Fields(to, statusCallback: callbackUrl));
        var sid = answer["sid"]!.GetValue<string>();
        var expected = statuses.Split(',');

        var received = await _receiver.WaitForAsync(path, expected.Length);

        Assert.Equal(expected, received.Select(r => r["MessageStatus"]));
        var validator = new RequestValidator(SmsSandbox.AuthToken);
        foreach (var callback in received)
        {
            Assert.StartsWith("application/x-www-form-urlencoded", callback.ContentType);
            Assert.Equal(sid, callback["MessageSid"]);
            Assert.Equal(sid, callback["SmsSid"]);
            Assert.Equal(callback["MessageStatus"], callback["SmsStatus"]);
            Assert.Equal(to, callback["To"]);
            Assert.Equal(SmsSandbox.AccountSid, callback["AccountSid"]);
            Assert.True(validator.Validate(callbackUrl, callback.Fields.ToDictionary(f => f.Key, f => f.Value), callback.Signature));
            Assert.True(TwilioRequestSignature.IsValid(SmsSandbox.AuthToken, callbackUrl, callback.Fields, callback.Signature));
            Assert.False(TwilioRequestSignature.IsValid("another-token", callbackUrl, callback.Fields, callback.Signature));
        }

        Assert.Equal(errorCode, received[^1].Has("ErrorCode") ? received[^1]["ErrorCode"] : null);
        Assert.All(received.SkipLast(1), r => Assert.False(r.Has("ErrorCode")));
    }

    [Fact]
    public async Task The_statuses_are_kept_with_the_SMS_in_the_message_store()
    {
        var path = "/sms/status";
        await _sandbox.SendAsync(SmsSandbox.Fields("+12125550121", statusCallback: _receiver.BaseUrl + path));
        await _receiver.WaitForAsync(path, 3);

        var stored = _sandbox.Server.Messages.GetLatestMessage("12125550121")!;
        Assert.Equal(["queued", "sent", "undelivered"], stored.Statuses.Select(s => s.Status));
        Assert.Equal(30003, stored.Statuses[^1].Error!.Code);
    }
}
