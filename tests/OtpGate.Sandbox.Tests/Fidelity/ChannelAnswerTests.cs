using System.Net;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Fidelity;

/// <summary>The sandbox's channel answers against 1MSG's shapes (<see cref="OneMsgShapes"/>).</summary>
public sealed class ChannelAnswerTests
{
    [Fact]
    public async Task Get_webhook_with_one_url_answers_a_string_as_the_contract_types_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.WebhookUrls.Add("https://a.example/hook"));
        var answer = await sandbox.Api.GetAsync("webhook");

        ContractShape.AssertMatches(OneMsgShapes.GetWebhook, answer.Json);
        Assert.Equal("https://a.example/hook", answer.Json["webhookUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_webhook_with_no_url_answers_an_empty_string()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.GetAsync("webhook");

        ContractShape.AssertMatches(OneMsgShapes.GetWebhook, answer.Json);
        Assert.Equal("", answer.Json["webhookUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_webhook_with_several_urls_answers_an_array_as_production_channels_do()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.WebhookUrls.Add("https://app.example/service/inbox");
            o.WebhookUrls.Add("https://a.example/hook");
        });

        ContractShape.AssertMatches(OneMsgShapes.GetWebhookSeveral, (await sandbox.Api.GetAsync("webhook")).Json);
    }

    [Theory]
    [InlineData(WebhookUrlForm.OneMsg, 0, "\"\"")]
    [InlineData(WebhookUrlForm.OneMsg, 1, "\"https://h1.example/hook\"")]
    [InlineData(WebhookUrlForm.OneMsg, 2, "[\"https://h1.example/hook\",\"https://h2.example/hook\"]")]
    [InlineData(WebhookUrlForm.Array, 0, "[]")]
    [InlineData(WebhookUrlForm.Array, 1, "[\"https://h1.example/hook\"]")]
    [InlineData(WebhookUrlForm.CommaSeparated, 0, "\"\"")]
    [InlineData(WebhookUrlForm.CommaSeparated, 2, "\"https://h1.example/hook,https://h2.example/hook\"")]
    [InlineData(WebhookUrlForm.NullWhenEmpty, 0, "null")]
    [InlineData(WebhookUrlForm.NullWhenEmpty, 1, "\"https://h1.example/hook\"")]
    public async Task The_webhook_url_form_option_selects_how_webhook_and_settings_write_the_list(WebhookUrlForm form, int count, string expected)
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.WebhookUrlForm = form;
            for (var i = 1; i <= count; i++)
            {
                o.WebhookUrls.Add($"https://h{i}.example/hook");
            }
        });

        Assert.Equal(expected, (await sandbox.Api.GetAsync("webhook")).Json["webhookUrl"]?.ToJsonString() ?? "null");
        Assert.Equal(expected, (await sandbox.Api.GetAsync("settings")).Json["webhookUrl"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public async Task Post_webhook_answers_set_and_message()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.PostRawAsync("webhook", """{"webhookUrl":"https://a.example/hook"}""");

        ContractShape.AssertMatches(OneMsgShapes.SetWebhookStatus, answer.Json);
        Assert.Equal("""{"set":true,"message":"https://a.example/hook"}""", answer.Text);
    }

    [Fact]
    public async Task Settings_answer_the_contract_shape_and_post_lists_only_the_changed_fields_in_update()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var read = await sandbox.Api.GetAsync("settings");
        var changed = await sandbox.Api.PostRawAsync("settings", """{"ackNotificationsOn":true,"webhookUrl":["https://a.example/hook"]}""");

        ContractShape.AssertMatches(OneMsgShapes.Settings, read.Json);
        ContractShape.AssertMatches(OneMsgShapes.UpdateSettings, changed.Json);
        Assert.Equal("""{"webhookUrl":"https://a.example/hook","ackNotificationsOn":true}""", changed.Json["update"]!.ToJsonString());
    }

    [Fact]
    public async Task Status_carries_the_keys_1msg_cli_reads()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        ContractShape.AssertMatches(OneMsgShapes.Status, (await sandbox.Api.GetAsync("status")).Json);
    }

    [Fact]
    public async Task Templates_and_hook_info_answer_the_contract_shapes()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var sent = await sandbox.Api.SendAsync(Requests.Otp());
        var id = sent.Json["id"]!.GetValue<string>();
        await sandbox.Messages.WaitForMessageAsync(Requests.Phone, m => m.Status == "read", Wait.Timeout());

        ContractShape.AssertMatches(OneMsgShapes.GetTemplates, (await sandbox.Api.GetAsync("templates")).Json);
        ContractShape.AssertMatches(OneMsgShapes.GetAckInfo, (await sandbox.Api.GetAsync("hookInfo?messageId=" + id)).Json);
    }

    [Fact]
    public async Task Me_answers_the_profile_and_post_changes_the_fields_sent()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var before = await sandbox.Api.GetAsync("me");
        var update = await sandbox.Api.PostRawAsync("me", """{"about":"Codes only","websites":["https://example.com"],"phone":"1"}""");
        var after = await sandbox.Api.GetAsync("me");

        ContractShape.AssertMatches(OneMsgShapes.ProfileInfo, before.Json);
        ContractShape.AssertMatches(OneMsgShapes.SetMe, update.Json);
        ContractShape.AssertMatches(OneMsgShapes.ProfileInfo, after.Json);
        Assert.Equal("Codes only", after.Json["about"]!.GetValue<string>());
        Assert.Equal("""["https://example.com"]""", after.Json["websites"]!.ToJsonString());
        Assert.Equal(before.Json["phone"]!.GetValue<string>(), after.Json["phone"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"phone":"12125550100","name":"x"}""")]
    public async Task Post_me_without_an_updatable_field_is_answered_422(string body)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.PostRawAsync("me", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        ContractShape.AssertMatches(OneMsgShapes.ErrorResponse, answer.Json);
        Assert.Equal("Wrong request (no updatable fields)", answer.Json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_me_with_a_field_of_the_wrong_type_is_answered_400_and_changes_nothing()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.PostRawAsync("me", """{"about":"x","email":5}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("email must be text", answer.Message);
        Assert.NotEqual("x", (await sandbox.Api.GetAsync("me")).Json["about"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_lists_the_sent_messages_in_the_contract_shape()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var id = (await sandbox.Api.SendAsync(Requests.Otp(code: "424242"))).Json["id"]!.GetValue<string>();

        var answer = await sandbox.Api.GetAsync("messages");

        ContractShape.AssertMatches(OneMsgShapes.GetMessages, answer.Json);
        var message = Assert.Single(answer.Json["messages"]!.AsArray())!;
        Assert.Equal(id, message["id"]!.GetValue<string>());
        Assert.Equal(1, message["messageNumber"]!.GetValue<long>());
        Assert.True(message["fromMe"]!.GetValue<bool>());
        Assert.Equal($"{Requests.Phone}@c.us", message["chatId"]!.GetValue<string>());
        Assert.StartsWith("424242 is your verification code.", message["body"]!.GetValue<string>());
        Assert.Equal(sandbox.Messages.FindMessage(id)!.AcceptedAt.ToUnixTimeSeconds(), message["time"]!.GetValue<long>());
    }

    [Fact]
    public async Task Every_new_route_asks_for_the_token()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        foreach (var route in new[] { "me", "messages" })
        {
            var answer = await sandbox.Api.GetAsync(route, bearer: "");
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            ContractShape.AssertMatches(OneMsgShapes.ErrorResponse, answer.Json);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await sandbox.Api.PostRawAsync("me", """{"about":"x"}""", bearer: "wrong-token")).Status);
    }
}
