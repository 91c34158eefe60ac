using System.Text.Json;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Sending;

public sealed class AuthenticationCodeRequestTests
{
    // The seed's Node.js requestBody with its placeholders filled in (reference §2.1 gives the same values).
    private const string SeedRequest = """
        {
          "phone": "5511999998888",
          "template": "otp_code",
          "namespace": "ca300906_cfbc_410b_99fb_dcee8e13d578",
          "language": { "policy": "deterministic", "code": "en" },
          "params": [
            { "type": "body", "parameters": [ { "type": "text", "text": "482913" } ] },
            { "type": "button", "sub_type": "url", "index": "0", "parameters": [ { "type": "text", "text": "482913" } ] }
          ]
        }
        """;

    [Fact]
    public async Task Authentication_code_request_matches_the_seed_field_by_field()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("sendTemplate", 200, Samples.Accepted);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        using var expected = JsonDocument.Parse(SeedRequest);
        using var actual = JsonDocument.Parse(request.Body);
        JsonAssert.Equivalent(expected.RootElement, actual.RootElement);
        Assert.Equal(JsonValueKind.String, actual.RootElement.GetProperty("params")[1].GetProperty("index").ValueKind);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"{ScriptedServer.BasePath}/{ScriptedServer.ChannelId}/sendTemplate", request.Path);
        Assert.StartsWith("application/json", request.ContentType);
    }

    [Fact]
    public async Task Token_travels_only_in_the_bearer_header()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("sendTemplate", 200, Samples.Accepted);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer " + ClientHarness.Token, request.Authorization);
        Assert.Equal("", request.Query);
        Assert.DoesNotContain(ClientHarness.Token, request.Body);
    }

    [Fact]
    public async Task Message_ttl_is_sent_only_when_given()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", 200, Samples.Accepted);
        await using var harness = ClientHarness.Create(server.BaseUrl);
        var ct = TestContext.Current.CancellationToken;

        await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, 300, ct);
        await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, null, ct);

        using var withTtl = JsonDocument.Parse(server.Requests[0].Body);
        using var withoutTtl = JsonDocument.Parse(server.Requests[1].Body);
        Assert.Equal(300, withTtl.RootElement.GetProperty("messageSendTtlSeconds").GetInt32());
        Assert.False(withoutTtl.RootElement.TryGetProperty("messageSendTtlSeconds", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234567890123456")]
    [InlineData("482 913")]
    [InlineData("482\n913")]
    [InlineData("48\u00002913")]
    public async Task Invalid_code_is_refused_before_any_request_and_never_quoted(string code)
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.SendAuthenticationCodeAsync(Samples.Phone, code, Samples.Template, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("code", error.ParamName);
        if (code.Length > 0)
        {
            Assert.DoesNotContain(code, error.Message);
        }

        Assert.DoesNotContain("482", error.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("", "ns", "en", "name")]
    [InlineData("otp_code", " ", "en", "namespace")]
    [InlineData("otp_code", "ns", "", "language")]
    public async Task Incomplete_template_is_refused_before_any_request(string name, string ns, string language, string named)
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SendAuthenticationCodeAsync(
            Samples.Phone, Samples.Code, new TemplateReference(name, ns, language), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(901)]
    public async Task Authentication_ttl_outside_30_to_900_seconds_is_refused(int ttl)
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var harness = ClientHarness.Create(server.BaseUrl);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, ttl, TestContext.Current.CancellationToken));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task General_send_to_a_chat_id_sends_chatId_and_button_indexes_as_strings()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("sendTemplate", 200, Samples.Accepted);
        await using var harness = ClientHarness.Create(server.BaseUrl);
        var request = new SendTemplateRequest(Samples.Template, [TemplateComponent.Body("Ana", "Tuesday"), TemplateComponent.QuickReplyButton(1, "confirm")])
        {
            ChatId = "12125550100@c.us",
            MessageSendTtlSeconds = 3600,
        };

        var result = await harness.Client.SendTemplateAsync(request, TestContext.Current.CancellationToken);

        Assert.IsType<SendAccepted>(result);
        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        using var expected = JsonDocument.Parse("""
            {
              "chatId": "12125550100@c.us",
              "template": "otp_code",
              "namespace": "ca300906_cfbc_410b_99fb_dcee8e13d578",
              "language": { "policy": "deterministic", "code": "en" },
              "params": [
                { "type": "body", "parameters": [ { "type": "text", "text": "Ana" }, { "type": "text", "text": "Tuesday" } ] },
                { "type": "button", "sub_type": "quick_reply", "index": "1", "parameters": [ { "type": "payload", "payload": "confirm" } ] }
              ],
              "messageSendTtlSeconds": 3600
            }
            """);
        JsonAssert.Equivalent(expected.RootElement, body.RootElement);
    }

    [Fact]
    public async Task General_send_needs_exactly_one_recipient()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var harness = ClientHarness.Create(server.BaseUrl);
        var both = new SendTemplateRequest(Samples.Template, []) { Phone = Samples.Phone, ChatId = "5511999998888@c.us" };
        var neither = new SendTemplateRequest(Samples.Template, []);

        var ct = TestContext.Current.CancellationToken;
        Assert.Contains("exactly one recipient", (await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SendTemplateAsync(both, ct))).Message);
        Assert.Contains("exactly one recipient", (await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SendTemplateAsync(neither, ct))).Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("+55 11 99999-8888")]
    [InlineData("5511999998888@c.us")]
    public async Task A_phone_is_sent_as_digits_only_never_as_typed(string phone)
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.SendAuthenticationCodeAsync(phone, Samples.Code, Samples.Template, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("digits only", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Template_parameters_never_print_their_value()
    {
        var component = TemplateComponent.Body(Samples.Code);

        Assert.DoesNotContain(Samples.Code, component.Parameters[0].ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/sandbox", "359900", "http://127.0.0.1:5080/sandbox/359900/")]
    [InlineData("http://127.0.0.1:5080/sandbox/", "359900", "http://127.0.0.1:5080/sandbox/359900/")]
    [InlineData("https://api.1msg.io", "VID182868781", "https://api.1msg.io/VID182868781/")]
    [InlineData("https://api.1msg.io/", "a b", "https://api.1msg.io/a%20b/")]
    public void Channel_root_joins_the_base_path_and_escapes_the_channel_id(string baseUrl, string channel, string expected)
    {
        Assert.Equal(expected, OneMsgClient.ChannelRoot(new OneMsgOptions { BaseUrl = new Uri(baseUrl), ChannelId = channel }));
    }
}
