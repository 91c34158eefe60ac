using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Phones;

namespace OtpGate.Channels.OneMsg.Tests;

/// <summary>The 1MSG channel behind the engine's port, against the real sandbox on loopback.</summary>
public sealed class OneMsgChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    private static ServiceProvider ChannelFor(SandboxServer sandbox, string templateName = "registration_otp")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OneMsg:Template:Name"] = templateName,
            ["OneMsg:Template:Namespace"] = "otpgate_sandbox",
            ["OneMsg:Template:Language"] = "en",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOneMsgClient(o =>
        {
            o.BaseUrl = sandbox.BaseUrl;
            o.ChannelId = sandbox.ChannelId;
            o.Token = sandbox.Token;
            o.MaxRetries = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
        });
        services.AddOneMsgChannel(configuration);
        return services.BuildServiceProvider();
    }

    private static CodeMessage Message(string typed) =>
        new(PhoneNumberParser.ParseOrThrow(typed), "482913", "en", FiveMinutes, null, CodeText.Render("482913", null, FiveMinutes));

    [Fact]
    public async Task A_code_sent_through_the_port_is_accepted_with_the_id_of_the_message_the_phone_got()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox);
        var channel = services.GetRequiredService<ICodeChannel>();

        var outcome = await channel.SendCodeAsync(Message("+1 212 555 0100"), Ct);

        var accepted = Assert.IsType<CodeAccepted>(outcome);
        var message = Assert.Single(sandbox.Messages.GetMessages("12125550100"));
        Assert.Equal(message.Id, accepted.MessageId);
        Assert.Equal("482913", message.Code);
        Assert.Equal("whatsapp", channel.Name);
    }

    [Fact]
    public async Task A_recipient_who_did_not_opt_in_is_permanently_undeliverable()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox);

        var outcome = await services.GetRequiredService<ICodeChannel>().SendCodeAsync(Message("+1 212 555 0107"), Ct);

        var rejected = Assert.IsType<CodeRejected>(outcome);
        Assert.Equal(FailureReason.Undeliverable, rejected.Reason);
        Assert.True(rejected.Permanent);
    }

    [Fact]
    public async Task A_send_1msg_queues_as_a_job_is_queued_by_the_channel_with_its_job_id_and_sent_once()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox);
        var channel = services.GetRequiredService<ICodeChannel>();

        var outcome = await channel.SendCodeAsync(Message("+1 212 555 0110"), Ct);

        var queued = Assert.IsType<CodeQueuedByChannel>(outcome);
        Assert.Matches("^[0-9a-f]{24}$", queued.JobId);
        Assert.NotEqual(Assert.Single(sandbox.Messages.GetMessages("12125550110")).Id, queued.JobId);
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550110"));
    }

    [Fact]
    public async Task A_5xx_is_an_unknown_outcome_never_a_failure()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox);

        var outcome = await services.GetRequiredService<ICodeChannel>().SendCodeAsync(Message("+1 212 555 0105"), Ct);

        Assert.IsType<CodeOutcomeUnknown>(outcome);
    }

    [Fact]
    public async Task An_incomplete_template_configuration_is_refused_by_name_before_anything_is_sent()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox, templateName: "");

        // The template keys are validated where they are bound, so the channel never starts with a send that cannot work.
        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ICodeChannel>());

        Assert.Contains("OneMsg:Template:Name", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Messages.GetRequestCount("12125550100"));
    }

    [Fact]
    public async Task Polling_a_delivered_message_gives_its_delivery_news()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox);
        var accepted = Assert.IsType<CodeAccepted>(
            await services.GetRequiredService<ICodeChannel>().SendCodeAsync(Message("+1 212 555 0100"), Ct));
        await sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "delivered", Ct);

        var news = await services.GetRequiredService<OneMsgChannel>().PollDeliveryAsync(accepted.MessageId, Ct);

        Assert.Contains(news, n => n.MessageId == accepted.MessageId && n.Event == DeliveryEvent.Delivered);
    }

    [Fact]
    public async Task A_channel_that_cannot_be_asked_says_so_without_the_message_id_in_clear()
    {
        var sandbox = await SandboxServer.StartAsync(cancellationToken: Ct);
        await using var services = ChannelFor(sandbox);
        var channel = services.GetRequiredService<OneMsgChannel>();
        await sandbox.DisposeAsync(); // nothing listens there any more
        const string messageId = "wamid.HBgMNTUxMTk5OTk5ODg4OBUCABEYEjhCRkQ2RUIzNkVGMjMxOTZCQwA=";

        var e = await Assert.ThrowsAsync<ChannelUnavailableException>(() => channel.PollDeliveryAsync(messageId, Ct));

        Assert.DoesNotContain("HBgMNTUxMTk5", e.Message, StringComparison.Ordinal);
    }
}
