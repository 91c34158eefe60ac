using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Sandbox.Tests.Api;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Client;

/// <summary>The OtpGate.OneMsg client and webhook parser against what the sandbox pushes, queues and lists in its real forms.</summary>
public sealed class PushesQueueAndTemplateFormsTests
{
    private static readonly TemplateReference Template = new("registration_otp", "otpgate_sandbox", "en");

    private static ServiceProvider ClientFor(TestSandbox sandbox) => SandboxClients.For(sandbox);

    [Fact]
    public async Task The_parser_keeps_the_bsuid_of_a_pushed_ack()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Api.PostRawAsync("webhook", new JsonObject { ["webhookUrl"] = receiver.Url("hooks") }.ToJsonString());

        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 2);

        var statuses = receiver.At("hooks").SelectMany(r => WebhookPayloadParser.Parse(r.Body.ToJsonString()).Statuses).ToList();
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(OtpGate.Sandbox.Messages.SandboxUsers.Bsuid("12125550109"), s.RecipientUserId));
        Assert.All(statuses, s => Assert.Equal("12125550109", s.Recipient));
    }

    [Fact]
    public async Task The_parser_reads_a_pushed_echo_as_a_message_from_me_and_no_status()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync(o => o.MessageEchoes = true);
        await sandbox.Api.PostRawAsync("webhook", new JsonObject { ["webhookUrl"] = receiver.Url("hooks") }.ToJsonString());
        await sandbox.Api.PostRawAsync("settings", """{"ackNotificationsOn":false}""");

        var id = (await sandbox.Api.SendAsync(Requests.Otp("12125550100"))).Json["id"]!.GetValue<string>();
        await Wait.UntilAsync(() => receiver.At("hooks").Count == 1);

        var parsed = WebhookPayloadParser.Parse(receiver.At("hooks")[0].Body.ToJsonString());
        Assert.True(parsed.IsSuccess);
        Assert.False(parsed.IsOtherEvent);
        Assert.Empty(parsed.Statuses);
        var echo = Assert.Single(parsed.Messages);
        Assert.Equal(id, echo.Id);
        Assert.True(echo.FromMe);
        Assert.Equal("12125550100@c.us", echo.ChatId);
    }

    [Fact]
    public async Task A_queued_send_is_a_job_not_a_message()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();

        var result = await client.SendAuthenticationCodeAsync("12125550110", "482913", Template, 300, TestContext.Current.CancellationToken);

        var queued = Assert.IsType<SendQueued>(result);
        Assert.Matches("^[0-9a-f]{24}$", queued.JobId);
        Assert.DoesNotContain(Assert.Single(sandbox.Messages.GetMessages("12125550110")).Id, queued.RawBody ?? "", StringComparison.Ordinal);
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550110"));
    }

    [Fact]
    public async Task The_client_reads_every_raw_template_form()
    {
        await using var sandbox = await TestSandbox.StartAsync(TemplateListFormTests.ThreeSiblings);
        await using var services = ClientFor(sandbox);
        var client = services.GetRequiredService<OneMsgClient>();

        var templates = await client.GetTemplatesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [("registration_otp", "en"), ("login_otp", "en_US"), ("registration_otp", "es")],
            templates.Select(t => (t.Name, t.Language)));
        Assert.All(templates, t =>
        {
            Assert.Equal("otpgate_sandbox", t.Namespace);
            Assert.Equal(["BODY", "FOOTER", "BUTTONS"], t.Components.Select(c => c.Type));
            Assert.True(t.IsUsableForAuthenticationCode, t.AuthenticationCodeProblem);
        });
    }
}
