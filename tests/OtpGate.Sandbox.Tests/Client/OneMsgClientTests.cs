using Microsoft.Extensions.DependencyInjection;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Channel;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Client;

/// <summary>The OtpGate.OneMsg client against the sandbox, one call at a time.</summary>
public sealed class OneMsgClientTests
{
    private static readonly TemplateReference Template = new("registration_otp", "otpgate_sandbox", "en");

    private static ServiceProvider ClientFor(TestSandbox sandbox) => SandboxClients.For(sandbox, o =>
    {
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        o.AttemptTimeout = TimeSpan.FromSeconds(2);
    });

    [Fact]
    public async Task Authentication_code_sent_by_the_client_reaches_the_phone_once()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();

        var result = await client.SendAuthenticationCodeAsync(
            "12125550100", "482913", Template, 300, TestContext.Current.CancellationToken);

        var accepted = Assert.IsType<SendAccepted>(result);
        var message = Assert.Single(sandbox.Messages.GetMessages("12125550100"));
        Assert.Equal(message.Id, accepted.MessageId);
        Assert.Equal("482913", message.Code);
        Assert.Equal("482913", message.ButtonCode);
        Assert.Equal(TimeSpan.FromSeconds(300), message.Ttl);
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550100"));
    }

    [Fact]
    public async Task Client_send_template_with_a_body_only_is_rejected()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();
        var request = new SendTemplateRequest(Template, [TemplateComponent.Body("123456")]) { Phone = "12125550100" };

        var result = await client.SendTemplateAsync(request, TestContext.Current.CancellationToken);

        Assert.IsType<SendRejected>(result);
        Assert.Empty(sandbox.Messages.GetMessages("12125550100"));
    }

    [Fact]
    public async Task Client_retries_the_429_scenario_and_gets_the_message_through()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();

        var result = await client.SendAuthenticationCodeAsync(
            "12125550104", "111222", Template, cancellationToken: TestContext.Current.CancellationToken);

        Assert.IsType<SendAccepted>(result);
        Assert.Equal(3, sandbox.Messages.GetRequestCount("12125550104"));
        Assert.Single(sandbox.Messages.GetMessages("12125550104"));
    }

    [Fact]
    public async Task Client_sees_the_500_scenario_as_ambiguous_and_does_not_repeat_it()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();

        var result = await client.SendAuthenticationCodeAsync(
            "12125550105", "111222", Template, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SendFailureKind.Ambiguous, Assert.IsType<SendFailed>(result).Kind);
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550105"));
    }

    [Fact]
    public async Task Client_reads_the_templates()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);

        var templates = await services.GetRequiredService<OneMsgClient>().GetTemplatesAsync(TestContext.Current.CancellationToken);

        var template = Assert.Single(templates);
        Assert.True(template.IsApproved);
        Assert.True(template.IsUsableForAuthenticationCode, template.AuthenticationCodeProblem);
        Assert.Equal(Template, template.ToReference());
    }

    [Fact]
    public async Task Client_reads_hook_info_after_delivery()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();
        var accepted = (SendAccepted)await client.SendAuthenticationCodeAsync(
            "12125550101", "333444", Template, cancellationToken: TestContext.Current.CancellationToken);
        await sandbox.Messages.WaitForMessageAsync("12125550101", m => m.Status == "failed", Wait.Timeout());

        var hooks = await client.GetHookInfoAsync(accepted.MessageId, TestContext.Current.CancellationToken);

        var failed = Assert.Single(hooks);
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(131026, failed.ErrorCode);
        Assert.Equal("12125550101", failed.Recipient);
        Assert.Empty(await client.GetHookInfoAsync("wamid.unknown", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Client_manages_the_webhook_list()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();
        var ct = TestContext.Current.CancellationToken;

        await client.SetWebhookUrlsAsync(["https://a.example/hook", "https://b.example/hook"], ct);
        var added = await client.AddWebhookUrlAsync("https://c.example/hook", ct);
        var removed = await client.RemoveWebhookUrlAsync("https://a.example/hook", ct);
        var read = await client.GetWebhookUrlsAsync(ct);
        var configuration = await client.GetWebhookAsync(ct);

        Assert.Equal(["https://a.example/hook", "https://b.example/hook", "https://c.example/hook"], added);
        Assert.Equal(["https://b.example/hook", "https://c.example/hook"], removed);
        Assert.Equal(removed, read);
        Assert.All(configuration.Statuses, s => Assert.False(s.IsDisabled));
        Assert.Equal(2, configuration.Statuses.Count);
    }

    [Fact]
    public async Task Client_sees_a_disabled_webhook_url()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.WebhookDisableAfterFailures = 1;
            o.WebhookRetryDelays = [];
        });
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();
        await client.SetWebhookUrlsAsync([CallbackReceiver.RefusingUrl()], TestContext.Current.CancellationToken);
        await client.SendAuthenticationCodeAsync("12125550101", "123123", Template, cancellationToken: TestContext.Current.CancellationToken);

        await Wait.UntilAsync(async () => (await client.GetWebhookAsync(TestContext.Current.CancellationToken)).Statuses is [{ IsDisabled: true }]);
    }

    [Fact]
    public async Task Client_reads_and_updates_settings()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();
        var ct = TestContext.Current.CancellationToken;

        await client.UpdateSettingsAsync(new ChannelSettingsUpdate { RawHooks = true, WebhookUrls = ["https://a.example/hook"] }, ct);
        var settings = await client.GetSettingsAsync(ct);

        Assert.Equal(["https://a.example/hook"], settings.WebhookUrls);
        Assert.True(settings.RawHooks);
        Assert.True(settings.AckNotificationsOn);
        Assert.True(settings.GuaranteedHooks);
    }

    [Fact]
    public async Task Client_reads_the_channel_status()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);

        var status = await services.GetRequiredService<OneMsgClient>().GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.True(status.IsOk);
        Assert.Equal("active", status.AccountStatus);
    }

    [Fact]
    public async Task Client_with_a_wrong_token_is_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Token = "the-real-token-123");
        await using var wrong = new ServiceCollection().AddLogging()
            .AddOneMsgClient(o => { o.BaseUrl = sandbox.Server.BaseUrl; o.ChannelId = "sandbox"; o.Token = "a-wrong-token-456"; })
            .Services.BuildServiceProvider();
        var result = await wrong.GetRequiredService<OneMsgClient>().SendAuthenticationCodeAsync(
            "12125550100", "123456", Template, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SendFailureKind.Unauthorized, Assert.IsType<SendFailed>(result).Kind);
    }
}
