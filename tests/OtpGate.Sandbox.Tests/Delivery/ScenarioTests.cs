using System.Net;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Delivery;

/// <summary>Each reserved number's answers and final status history, on a FakeTimeProvider with the default timings.</summary>
public sealed class ScenarioTests
{
    private static async Task<SandboxMessage> AdvanceUntilAsync(TestSandbox sandbox, string phone, TimeSpan by, Func<SandboxMessage, bool> done)
    {
        sandbox.Time!.Advance(by);
        return await sandbox.Messages.WaitForMessageAsync(phone, done, Wait.Timeout());
    }

    private static IEnumerable<(string Status, TimeSpan After)> Timeline(SandboxMessage message) =>
        message.Statuses.Select(s => (s.Status, s.At - message.AcceptedAt));

    private static (string, TimeSpan) At(string status, double seconds) => (status, TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task Any_other_number_is_sent_delivered_then_read()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550100", "424242"));

        var message = await AdvanceUntilAsync(sandbox, "12125550100", TimeSpan.FromSeconds(10), m => m.Status == "read");

        Assert.Equal([At("sent", 1), At("delivered", 2), At("read", 4)], Timeline(message));
        Assert.Equal("424242", message.Code);
        Assert.Equal("424242", message.ButtonCode);
        Assert.Equal(TestSandbox.Start, message.AcceptedAt);
    }

    [Fact]
    public async Task Statuses_follow_the_clock_one_at_a_time()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550100"));

        var sent = await AdvanceUntilAsync(sandbox, "12125550100", TimeSpan.FromSeconds(1), m => m.Status == "sent");
        var delivered = await AdvanceUntilAsync(sandbox, "12125550100", TimeSpan.FromSeconds(1), m => m.Status == "delivered");

        Assert.Single(sent.Statuses);
        Assert.Equal(2, delivered.Statuses.Count);
    }

    [Fact]
    public async Task Number_101_fails_as_not_a_whatsapp_user()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        var answer = await sandbox.Api.SendAsync(Requests.Otp("12125550101"));

        var message = await AdvanceUntilAsync(sandbox, "12125550101", TimeSpan.FromMinutes(20), m => m.Status == "failed");

        Assert.True(answer.Json["sent"]!.GetValue<bool>());
        var failed = Assert.Single(message.Statuses);
        Assert.Equal(131026, failed.Error!.Code);
        Assert.Equal("Message undeliverable: the number is not a WhatsApp user", failed.Error.Text);
    }

    [Fact]
    public async Task Number_102_is_sent_and_fails_when_its_ttl_runs_out()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550102").With("messageSendTtlSeconds", 120));

        var sent = await AdvanceUntilAsync(sandbox, "12125550102", TimeSpan.FromSeconds(119), m => m.Status == "sent");
        var failed = await AdvanceUntilAsync(sandbox, "12125550102", TimeSpan.FromSeconds(1), m => m.Status == "failed");

        Assert.Single(sent.Statuses);
        Assert.Equal([At("sent", 1), At("failed", 120)], Timeline(failed));
        Assert.Equal(131026, failed.Statuses[1].Error!.Code);
        Assert.Contains("Time To Live", failed.Statuses[1].Error!.Details);
    }

    [Fact]
    public async Task Number_102_without_a_ttl_fails_after_the_default_ten_minutes()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550102"));

        var failed = await AdvanceUntilAsync(sandbox, "12125550102", TimeSpan.FromHours(1), m => m.Status == "failed");

        Assert.Equal([At("sent", 1), At("failed", 600)], Timeline(failed));
    }

    [Fact]
    public async Task Number_103_is_delivered_after_the_slow_delay()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550103"));

        var message = await AdvanceUntilAsync(sandbox, "12125550103", TimeSpan.FromMinutes(1), m => m.Status == "read");

        Assert.Equal([At("sent", 1), At("delivered", 20), At("read", 22)], Timeline(message));
    }

    [Fact]
    public async Task Message_not_delivered_within_its_ttl_fails_instead()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o => o.SlowDeliveryAfter = TimeSpan.FromSeconds(45));
        await sandbox.Api.SendAsync(Requests.Otp("12125550103").With("messageSendTtlSeconds", 30));

        var message = await AdvanceUntilAsync(sandbox, "12125550103", TimeSpan.FromMinutes(5), m => m.Status == "failed");

        Assert.Equal([At("sent", 1), At("failed", 30)], Timeline(message));
    }

    [Fact]
    public async Task Number_104_is_rate_limited_twice_then_accepted()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();

        var answers = new List<ApiAnswer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await sandbox.Api.SendAsync(Requests.Otp("12125550104")));
        }

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], answers.Select(a => a.Status));
        Assert.Equal("""{"error":"Too many requests"}""", answers[0].Text);
        Assert.Equal("1", answers[0].RetryAfter);
        Assert.Single(sandbox.Messages.GetMessages("12125550104"));
        Assert.Equal(3, sandbox.Messages.GetRequestCount("12125550104"));
    }

    [Fact]
    public async Task Number_105_answers_500_and_records_no_message()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        var answer = await sandbox.Api.SendAsync(Requests.Otp("12125550105"));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("""{"error":"Internal server error"}""", answer.Text);
        Assert.Empty(sandbox.Messages.GetMessages("12125550105"));
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550105"));
    }

    [Fact]
    public async Task Number_106_hangs_then_accepts()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        var send = sandbox.Api.SendAsync(Requests.Otp("12125550106"));

        var recorded = await sandbox.Messages.WaitForMessageAsync("12125550106", cancellationToken: Wait.Timeout());
        sandbox.Time!.Advance(TimeSpan.FromSeconds(39));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(send.IsCompleted);
        sandbox.Time.Advance(TimeSpan.FromSeconds(1));
        var answer = await send.WaitAsync(Wait.Timeout());

        Assert.True(answer.Json["sent"]!.GetValue<bool>());
        Assert.Equal(recorded.Id, answer.Json["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Number_106_is_delivered_even_when_the_caller_gives_up()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        using var impatient = new HttpClient();
        using var request = new StringContent(Requests.Otp("12125550106", "515151").ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var giveUp = new CancellationTokenSource();

        // The caller gives up once the sandbox holds the answer (the message is recorded by then), whatever the load:
        // a fixed client timeout could end the request before the sandbox even read it.
        var send = impatient.PostAsync($"{sandbox.Api.ChannelUrl}/sendTemplate?token=sandbox-token", request, giveUp.Token);
        await sandbox.Messages.WaitForMessageAsync("12125550106", cancellationToken: Wait.Timeout());
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        var message = await AdvanceUntilAsync(sandbox, "12125550106", TimeSpan.FromMinutes(1), m => m.Status == "read");

        Assert.Equal("515151", message.Code);
        Assert.Equal([At("sent", 1), At("delivered", 2), At("read", 4)], Timeline(message));
    }

    [Fact]
    public async Task Number_107_is_not_sent_because_the_recipient_has_not_opted_in()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        var answer = await sandbox.Api.SendAsync(Requests.Otp("12125550107"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            """{"sent":false,"message":"Message not sent: the recipient has not opted in to receive messages from this business"}""",
            answer.Text);
        Assert.Empty(sandbox.Messages.GetMessages("12125550107"));
    }

    [Fact]
    public async Task Number_108_gets_duplicated_and_out_of_order_acks()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550108"));

        var message = await AdvanceUntilAsync(sandbox, "12125550108", TimeSpan.FromMinutes(1), m => m.Statuses.Count == 5);

        Assert.Equal(
            [At("sent", 1), At("read", 2), At("delivered", 2), At("sent", 2), At("delivered", 4)],
            Timeline(message));
        Assert.Equal("read", message.Status);
    }

    [Fact]
    public async Task Number_109_is_delivered_but_never_read()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));

        sandbox.Time!.Advance(TimeSpan.FromHours(2));
        var message = await sandbox.Messages.WaitForMessageAsync("12125550109", m => m.Status == "delivered", Wait.Timeout());
        await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.Equal([At("sent", 1), At("delivered", 2)], Timeline(sandbox.Messages.GetLatestMessage("12125550109")!));
        Assert.Equal("delivered", message.Status);
    }

    [Fact]
    public async Task Rate_limit_bucket_refuses_past_the_rate_and_refills_with_time()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o => o.RateLimitPerSecond = 5);

        var burst = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            burst.Add((await sandbox.Api.SendAsync(Requests.Otp($"4478000000{i}"))).Status);
        }

        var refused = await sandbox.Api.SendAsync(Requests.Otp("447800000099"));
        sandbox.Time!.Advance(TimeSpan.FromMilliseconds(200));
        var afterOneToken = await sandbox.Api.SendAsync(Requests.Otp("447800000098"));
        var refusedAgain = await sandbox.Api.SendAsync(Requests.Otp("447800000097"));

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], burst);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("""{"error":"Too many requests"}""", refused.Text);
        Assert.Equal("1", refused.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, afterOneToken.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAgain.Status);
        Assert.Empty(sandbox.Messages.GetMessages("447800000099"));
        Assert.Equal(1, sandbox.Messages.GetRequestCount("447800000099"));
    }

    [Fact]
    public async Task HookInfo_lists_the_statuses_as_meta_status_objects()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        var ok = (await sandbox.Api.SendAsync(Requests.Otp("12125550100"))).Json["id"]!.GetValue<string>();
        var failed = (await sandbox.Api.SendAsync(Requests.Otp("12125550101"))).Json["id"]!.GetValue<string>();
        await AdvanceUntilAsync(sandbox, "12125550100", TimeSpan.FromSeconds(10), m => m.Status == "read");
        await sandbox.Messages.WaitForMessageAsync("12125550101", m => m.Status == "failed", Wait.Timeout());

        var hooks = (await sandbox.Api.GetAsync($"hookInfo?messageId={Uri.EscapeDataString(ok)}")).Json["hooks"]!.AsArray();
        var failedHook = (await sandbox.Api.GetAsync($"hookInfo?messageId={Uri.EscapeDataString(failed)}")).Json["hooks"]![0]!;

        Assert.Equal(["sent", "delivered", "read"], hooks.Select(h => h!["status"]!.GetValue<string>()));
        var first = hooks[0]!;
        Assert.Equal(ok, first["id"]!.GetValue<string>());
        Assert.Equal((TestSandbox.Start.ToUnixTimeSeconds() + 1).ToString(), first["timestamp"]!.GetValue<string>());
        Assert.Equal("12125550100", first["recipient_id"]!.GetValue<string>());
        Assert.Equal("""{"billable":true,"category":"authentication","pricing_model":"PMP"}""", first["pricing"]!.ToJsonString());
        Assert.Null(first["errors"]);
        var error = failedHook["errors"]![0]!;
        Assert.Equal(131026, error["code"]!.GetValue<int>());
        Assert.Equal("Message undeliverable", error["title"]!.GetValue<string>());
        Assert.Equal("Message undeliverable", error["message"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["error_data"]!["details"]!.GetValue<string>()));
        Assert.StartsWith("https://", error["href"]!.GetValue<string>());
    }
}
