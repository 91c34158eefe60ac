using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OtpGate.Sandbox.Sms;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Inbox;

public sealed class MessagesEndpointTests
{
    [Fact]
    public async Task Messages_for_a_phone_carry_text_code_template_and_status_history()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var id = (await sandbox.Api.SendAsync(Requests.Otp("12125550100", "908172"))).Json["id"]!.GetValue<string>();
        await sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "read", Wait.Timeout());

        var answer = await sandbox.Api.GetAbsoluteAsync($"{sandbox.Server.BaseUrl}_sandbox/messages?phone={Uri.EscapeDataString("+1 212 555 0100")}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var message = Assert.Single(answer.Json.AsArray())!;
        Assert.Equal(id, message["id"]!.GetValue<string>());
        Assert.Equal("12125550100", message["phone"]!.GetValue<string>());
        Assert.Equal("908172", message["code"]!.GetValue<string>());
        Assert.Equal("908172", message["buttonCode"]!.GetValue<string>());
        Assert.Equal("908172 is your verification code. For your security, do not share this code with anyone.", message["text"]!.GetValue<string>());
        Assert.Equal("This code expires in 10 minutes.", message["footer"]!.GetValue<string>());
        Assert.Equal("Copy code", message["buttonText"]!.GetValue<string>());
        Assert.Equal("registration_otp", message["template"]!["name"]!.GetValue<string>());
        Assert.Equal("otpgate_sandbox", message["template"]!["namespace"]!.GetValue<string>());
        Assert.Equal("en", message["template"]!["language"]!.GetValue<string>());
        Assert.Equal(600, message["ttlSeconds"]!.GetValue<int>());
        Assert.Equal("read", message["status"]!.GetValue<string>());
        Assert.Equal(["sent", "delivered", "read"], message["statuses"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_SMS_from_the_Twilio_stand_in_is_in_the_same_conversation_after_the_WhatsApp_message_marked_sms()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550100", "908172"));
        using var sms = new HttpRequestMessage(HttpMethod.Post, $"{sandbox.Server.BaseUrl}2010-04-01/Accounts/{SandboxSmsOptions.DefaultAccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", "+12125550100"), new("From", "+15005550006"), new("Body", "Your code is 482913")]),
        };
        sms.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxSmsOptions.DefaultAccountSid}:{SandboxSmsOptions.DefaultAuthToken}")));
        Assert.Equal(HttpStatusCode.Created, (await sandbox.Api.SendRequestAsync(sms)).Status);

        var answer = await sandbox.Api.GetAbsoluteAsync($"{sandbox.Server.BaseUrl}_sandbox/messages?phone=12125550100");

        var messages = answer.Json.AsArray();
        Assert.Equal(["whatsapp", "sms"], messages.Select(m => m!["channel"]!.GetValue<string>()));
        Assert.Equal("Your code is 482913", messages[1]!["text"]!.GetValue<string>());
        Assert.Equal("482913", messages[1]!["code"]!.GetValue<string>());
        Assert.Null(messages[1]!["buttonText"]);
    }

    [Fact]
    public async Task Messages_without_a_phone_list_recent_conversations_with_request_counts()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550100"));
        await sandbox.Api.SendAsync(Requests.Otp("12125550105"));

        var answer = await sandbox.Api.GetAbsoluteAsync($"{sandbox.Server.BaseUrl}_sandbox/messages");

        var conversations = answer.Json.AsArray();
        Assert.Equal(["12125550105", "12125550100"], conversations.Select(c => c!["phone"]!.GetValue<string>()));
        Assert.Equal(1, conversations[0]!["requestCount"]!.GetValue<int>());
        Assert.Empty(conversations[0]!["messages"]!.AsArray());
        Assert.Single(conversations[1]!["messages"]!.AsArray());
    }

    [Fact]
    public async Task Messages_for_an_unknown_phone_is_an_empty_list()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal("[]", (await sandbox.Api.GetAbsoluteAsync($"{sandbox.Server.BaseUrl}_sandbox/messages?phone=15550000000")).Text);
    }

    [Fact]
    public async Task Conversations_past_the_bound_drop_the_least_recently_active()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MaxConversations = 3);
        List<string> ids = [];
        foreach (var phone in new[] { "4471000001", "4471000002", "4471000003", "4471000004", "4471000005" })
        {
            ids.Add((await sandbox.Api.SendAsync(Requests.Otp(phone))).Json["id"]!.GetValue<string>());
        }

        Assert.Equal(["4471000005", "4471000004", "4471000003"], sandbox.Messages.GetConversations().Select(c => c.Phone));
        Assert.Empty(sandbox.Messages.GetMessages("4471000001"));
        Assert.Equal(0, sandbox.Messages.GetRequestCount("4471000001"));
        Assert.Null(sandbox.Messages.FindMessage(ids[0]));
        Assert.Equal("""{"hooks":[]}""", (await sandbox.Api.GetAsync($"hookInfo?messageId={Uri.EscapeDataString(ids[0])}")).Text);
    }

    [Fact]
    public async Task Messages_per_conversation_are_bounded_too()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MaxMessagesPerConversation = 2);
        foreach (var code in new[] { "111111", "222222", "333333" })
        {
            await sandbox.Api.SendAsync(Requests.Otp("4471000009", code));
        }

        Assert.Equal(["222222", "333333"], sandbox.Messages.GetMessages("4471000009").Select(m => m.Code));
        Assert.Equal(3, sandbox.Messages.GetRequestCount("4471000009"));
    }

    [Fact]
    public async Task Two_hundred_parallel_sends_are_each_recorded_once()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var phones = Enumerable.Range(0, 200).Select(i => $"4479{i % 50:D8}").ToList();

        var answers = await Task.WhenAll(phones.Select((phone, i) => sandbox.Api.SendAsync(Requests.Otp(phone, (100000 + i).ToString()))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var ids = answers.Select(a => a.Json["id"]!.GetValue<string>()).ToList();
        Assert.Equal(200, ids.Distinct().Count());
        var recorded = phones.Distinct().SelectMany(sandbox.Messages.GetMessages).ToList();
        Assert.Equal(200, recorded.Count);
        Assert.Equal(ids.Order(), recorded.Select(m => m.Id).Order());
        Assert.All(phones.Distinct(), p => Assert.Equal(4, sandbox.Messages.GetRequestCount(p)));
        Assert.Equal(
            Enumerable.Range(0, 200).Select(i => (100000 + i).ToString()).Order(),
            recorded.Select(m => m.Code!).Order());
    }

    [Fact]
    public async Task WaitForMessage_completes_when_the_awaited_status_arrives()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550100", "606060"));
        var waiting = sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "delivered", Wait.Timeout());

        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        sandbox.Time!.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("606060", (await waiting).Code);
    }
}
