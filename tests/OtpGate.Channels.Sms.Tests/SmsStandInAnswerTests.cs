using OtpGate.Channels.Sms.Tests.Support;
using OtpGate.Sandbox.Sms;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>The sandbox's Twilio Messages endpoint: its answers and errors, in Twilio's shapes, for plain form posts.</summary>
public sealed class SmsStandInAnswerTests : IAsyncLifetime
{
    private SmsSandbox _sandbox = null!;

    public async ValueTask InitializeAsync() => _sandbox = await SmsSandbox.StartAsync();

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_send_answers_201_with_Twilio_s_message_resource_queued()
    {
        var (status, body) = await _sandbox.SendAsync(SmsSandbox.Fields("+12125550100", "Your OtpGate code is 482913"));

        Assert.Equal(201, status);
        var sid = body["sid"]!.GetValue<string>();
        Assert.Matches("^SM[0-9a-f]{32}$", sid);
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        Assert.Null(body["error_code"]);
        Assert.Null(body["error_message"]);
        Assert.Null(body["price"]);
        Assert.Equal("+12125550100", body["to"]!.GetValue<string>());
        Assert.Equal("+15005550006", body["from"]!.GetValue<string>());
        Assert.Equal("Your OtpGate code is 482913", body["body"]!.GetValue<string>());
        Assert.Equal(SmsSandbox.AccountSid, body["account_sid"]!.GetValue<string>());
        Assert.Equal("outbound-api", body["direction"]!.GetValue<string>());
        Assert.Equal("2010-04-01", body["api_version"]!.GetValue<string>());
        Assert.Equal("1", body["num_segments"]!.GetValue<string>());
        Assert.Equal($"/2010-04-01/Accounts/{SmsSandbox.AccountSid}/Messages/{sid}.json", body["uri"]!.GetValue<string>());
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", body["date_created"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_accepted_SMS_joins_the_phone_s_conversation_with_its_code()
    {
        var (_, body) = await _sandbox.SendAsync(SmsSandbox.Fields("+12125550100", "Your OtpGate code is 482913"));

        var stored = _sandbox.Server.Messages.GetLatestMessage("12125550100");
        Assert.NotNull(stored);
        Assert.Equal(body["sid"]!.GetValue<string>(), stored.Id);
        Assert.Equal("SMS", stored.Category);
        Assert.Equal("Your OtpGate code is 482913", stored.Text);
        Assert.Equal("482913", stored.Code);
    }

    [Fact]
    public async Task An_SMS_is_not_in_1MSG_s_message_history_nor_its_hookInfo()
    {
        var (_, body) = await _sandbox.SendAsync(SmsSandbox.Fields("+12125550100"));
        var sid = body["sid"]!.GetValue<string>();
        using var http = new HttpClient { BaseAddress = _sandbox.Server.BaseUrl };
        var channel = $"{_sandbox.Server.ChannelId}";
        var token = Uri.EscapeDataString(_sandbox.Server.Token);

        var history = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{channel}/messages?token={token}", TestContext.Current.CancellationToken))!;
        var hooks = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{channel}/hookInfo?messageId={sid}&token={token}", TestContext.Current.CancellationToken))!;

        Assert.Empty(history["messages"]!.AsArray());
        Assert.Empty(hooks["hooks"]!.AsArray());
    }

    [Fact]
    public async Task A_send_through_a_messaging_service_without_From_is_accepted()
    {
        var (status, body) = await _sandbox.SendAsync(
            SmsSandbox.Fields("+12125550100", from: null, service: "MG00000000000000000000000000000001"));

        Assert.Equal(201, status);
        Assert.Equal("accepted", body["status"]!.GetValue<string>());
        Assert.Null(body["from"]);
        Assert.Equal("MG00000000000000000000000000000001", body["messaging_service_sid"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("wrong-token", null, true)]
    [InlineData(null, "AC00000000000000000000000000000002", true)]
    [InlineData(null, null, false)]
    public async Task Bad_credentials_answer_401_with_Twilio_s_20003(string? password, string? pathAccount, bool authorize)
    {
        var (status, body) = await _sandbox.SendAsync(
            SmsSandbox.Fields("+12125550100"), password: password, authorize: authorize, accountSid: pathAccount);

        AssertTwilioError(401, 20003, status, body);
        Assert.Empty(_sandbox.Server.Messages.GetMessages("12125550100"));
    }

    [Theory]
    [InlineData("12125550100", "Your code is 1", "+15005550006", 21211)]
    [InlineData("+1 212 555 0100", "Your code is 1", "+15005550006", 21211)]
    [InlineData("+12125550100", "Your code is 1", null, 21603)]
    [InlineData("+12125550100", "", "+15005550006", 21602)]
    public async Task A_bad_parameter_answers_400_with_Twilio_s_code(string to, string text, string? from, int code)
    {
        var (status, body) = await _sandbox.SendAsync(SmsSandbox.Fields(to, text, from));

        AssertTwilioError(400, code, status, body);
    }

    [Theory]
    [InlineData("+12125550124", 429, 20429)]
    [InlineData("+12125550125", 500, 20500)]
    [InlineData("+12125550126", 400, 21614)]
    public async Task A_refusing_scenario_number_answers_Twilio_s_error_and_sends_nothing(string to, int httpStatus, int code)
    {
        var (status, body) = await _sandbox.SendAsync(SmsSandbox.Fields(to));

        AssertTwilioError(httpStatus, code, status, body);
        Assert.Empty(_sandbox.Server.Messages.GetMessages(to));
        Assert.Equal(1, _sandbox.Server.Messages.GetRequestCount(to));
    }

    private static void AssertTwilioError(int httpStatus, int code, int status, System.Text.Json.Nodes.JsonObject body)
    {
        Assert.Equal(httpStatus, status);
        Assert.Equal(code, body["code"]!.GetValue<int>());
        Assert.Equal(httpStatus, body["status"]!.GetValue<int>());
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", body["more_info"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
    }

    [Fact]
    public void The_defaults_are_Twilio_shaped()
    {
        Assert.Matches("^AC[0-9a-f]{32}$", SandboxSmsOptions.DefaultAccountSid);
    }
}
