using OtpGate.OneMsg.Channel;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Channel;

/// <summary><c>GET me</c>, <c>GET messages</c> and <c>GET status</c> read through the client from the sandbox.</summary>
public sealed class ProfileAndMessagesTests
{
    private static readonly TemplateReference Template = new("registration_otp", "otpgate_sandbox", "en");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_profile_is_read_field_by_field()
    {
        await using var harness = await SandboxClient.StartAsync();

        var profile = await harness.Client.GetProfileAsync(Ct);

        Assert.Equal("12125550199", profile.Phone);
        Assert.Equal("Other", profile.Vertical);
        Assert.Equal("OtpGate sandbox", profile.About);
        Assert.Empty(profile.Websites);
    }

    [Fact]
    public async Task Sent_codes_are_listed_as_messages_from_the_business()
    {
        await using var harness = await SandboxClient.StartAsync();
        var first = (SendAccepted)await harness.Client.SendAuthenticationCodeAsync("12125550100", "111111", Template, cancellationToken: Ct);
        var second = (SendAccepted)await harness.Client.SendAuthenticationCodeAsync("12125550111", "222222", Template, cancellationToken: Ct);

        var all = await harness.Client.GetMessagesAsync(cancellationToken: Ct);
        var forOne = await harness.Client.GetMessagesAsync(new MessageQuery { ChatId = "12125550111@c.us" }, Ct);
        var after = await harness.Client.GetMessagesAsync(new MessageQuery { AfterMessageNumber = 1, Limit = 10 }, Ct);

        Assert.Equal([first.MessageId, second.MessageId], all.Select(m => m.Id));
        var message = all[0];
        Assert.Equal(1, message.MessageNumber);
        Assert.True(message.FromMe);
        Assert.Equal("12125550100@c.us", message.ChatId);
        Assert.Equal("chat", message.Type);
        Assert.StartsWith("111111 is your verification code.", message.Body);
        Assert.Equal(harness.Sandbox.Messages.FindMessage(first.MessageId)!.AcceptedAt.ToUnixTimeSeconds(), message.Time!.Value.ToUnixTimeSeconds());
        Assert.Equal([second.MessageId], forOne.Select(m => m.Id));
        Assert.Equal([second.MessageId], after.Select(m => m.Id));
    }

    [Fact]
    public async Task A_negative_limit_is_refused_before_any_request()
    {
        await using var harness = await SandboxClient.StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.GetMessagesAsync(new MessageQuery { Limit = -1 }, Ct));
    }

    [Fact]
    public async Task Status_reports_whether_marketing_messages_lite_is_available()
    {
        await using var harness = await SandboxClient.StartAsync();

        var status = await harness.Client.GetStatusAsync(Ct);

        Assert.True(status.IsOk);
        Assert.False(status.MmLiteAvailable);
    }
}
