using System.Net;
using OtpGate.Sandbox.Api;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Fidelity;

/// <summary>Form-encoded bodies, which 1MSG's legacy contract accepts for sendTemplate, settings and webhook.</summary>
public sealed class FormBodyTests
{
    private static (string, string)[] OtpFields(string phone, string code) =>
    [
        ("phone", phone),
        ("template", "registration_otp"),
        ("namespace", "otpgate_sandbox"),
        ("language[policy]", "deterministic"),
        ("language[code]", "en"),
        ("params[0][type]", "body"),
        ("params[0][parameters][0][type]", "text"),
        ("params[0][parameters][0][text]", code),
        ("params[1][type]", "button"),
        ("params[1][sub_type]", "url"),
        ("params[1][index]", "0"),
        ("params[1][parameters][0][type]", "text"),
        ("params[1][parameters][0][text]", code),
        ("messageSendTtlSeconds", "300"),
    ];

    [Fact]
    public async Task Send_template_with_bracket_keys_is_accepted_like_its_json()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.PostFormAsync("sendTemplate", OtpFields(Requests.Phone, "515151"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        ContractShape.AssertMatches(OneMsgShapes.SendMessageStatus, answer.Json);
        var message = Assert.Single(sandbox.Messages.GetMessages(Requests.Phone));
        Assert.Equal("515151", message.Code);
        Assert.Equal("515151", message.ButtonCode);
        Assert.Equal(TimeSpan.FromSeconds(300), message.Ttl);
    }

    [Fact]
    public async Task Send_template_with_json_text_in_its_structured_fields_is_accepted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var json = Requests.Otp(code: "616161");

        var answer = await sandbox.Api.PostFormAsync(
            "sendTemplate",
            ("phone", Requests.Phone),
            ("template", "registration_otp"),
            ("namespace", "otpgate_sandbox"),
            ("language", json["language"]!.ToJsonString()),
            ("params", json["params"]!.ToJsonString()),
            ("token", "sandbox-token"));

        Assert.True(answer.Json["sent"]!.GetValue<bool>(), answer.Text);
        Assert.Equal("616161", sandbox.Messages.GetLatestMessage(Requests.Phone)!.Code);
    }

    [Fact]
    public async Task A_form_send_is_validated_like_json()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var fields = OtpFields(Requests.Phone, "1").Where(f => f.Item1 != "namespace").ToArray();

        var answer = await sandbox.Api.PostFormAsync("sendTemplate", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("namespace is not defined", answer.Message);
    }

    [Fact]
    public async Task Webhook_takes_a_repeated_key_or_bracketed_list()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var repeated = await sandbox.Api.PostFormAsync("webhook", ("webhookUrl", "https://a.example/hook"), ("webhookUrl", "https://b.example/hook"));
        var bracketed = await sandbox.Api.PostFormAsync("webhook", ("webhookUrl[]", "https://c.example/hook"), ("webhookUrl[]", "https://d.example/hook"));

        Assert.Equal("""{"set":true,"message":"https://a.example/hook,https://b.example/hook"}""", repeated.Text);
        Assert.Equal("""{"set":true,"message":"https://c.example/hook,https://d.example/hook"}""", bracketed.Text);
    }

    [Fact]
    public async Task Settings_read_switches_from_form_text()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var answer = await sandbox.Api.PostFormAsync("settings", ("rawHooks", "true"), ("guaranteedHooks", "0"), ("webhookUrl", "https://a.example/hook"));
        var wrong = await sandbox.Api.PostFormAsync("settings", ("ackNotificationsOn", "maybe"));

        Assert.Equal("""{"webhookUrl":"https://a.example/hook","rawHooks":true,"guaranteedHooks":false}""", answer.Json["update"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("ackNotificationsOn must be true or false", wrong.Message);
    }

    [Fact]
    public async Task Me_takes_a_form_too()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Api.PostFormAsync("me", ("about", "From a form"), ("websites[]", "https://example.com"));

        var profile = (await sandbox.Api.GetAsync("me")).Json;
        Assert.Equal("From a form", profile["about"]!.GetValue<string>());
        Assert.Equal("""["https://example.com"]""", profile["websites"]!.ToJsonString());
    }

    [Theory]
    [InlineData("params[0]x=1")]
    [InlineData("a=1&a[b]=2")]
    [InlineData("[x]=1")]
    public async Task Contradictory_or_malformed_form_keys_are_a_malformed_body(string form)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{sandbox.Api.ChannelUrl}/sendTemplate?token=sandbox-token")
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var answer = await sandbox.Api.SendRequestAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Wrong request: the body is not valid JSON", answer.Message);
    }

    [Theory]
    [InlineData("a", new[] { "a" })]
    [InlineData("params[0][parameters][0][text]", new[] { "params", "0", "parameters", "0", "text" })]
    [InlineData("webhookUrl[]", new[] { "webhookUrl", "" })]
    public void Bracket_keys_become_paths(string key, string[] path) => Assert.Equal(path, FormBody.ParseKey(key));
}
