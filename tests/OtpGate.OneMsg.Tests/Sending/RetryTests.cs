using System.Diagnostics;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Sending;

/// <summary>The rule that keeps sends honest: repeat only what surely did not reach 1MSG.</summary>
public sealed class RetryTests
{
    private static Task<SendResult> Send(ClientHarness harness) =>
        harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Send_that_gets_a_500_is_ambiguous_and_not_retried()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", 500, """{"error":"Internal server error"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl, o => o.MaxRetries = 3);

        var result = await Send(harness);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.Ambiguous, failed.Kind);
        Assert.True(failed.IsAmbiguous);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Send_that_times_out_is_ambiguous_and_not_retried()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", _ => new Scripted(200, Samples.Accepted, Delay: TimeSpan.FromSeconds(5)));
        await using var harness = ClientHarness.Create(server.BaseUrl, o =>
        {
            o.MaxRetries = 3;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        });
        var clock = Stopwatch.StartNew();

        var result = await Send(harness);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.Ambiguous, failed.Kind);
        Assert.Null(failed.HttpStatus);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Single(server.Requests);
        Assert.Equal(1, harness.Attempts.Count);
    }

    [Fact]
    public async Task Send_rate_limited_then_accepted_is_retried_after_Retry_After()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("sendTemplate", new Scripted(429, """{"error":"Too many requests"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }));
        server.Enqueue("sendTemplate", 200, Samples.Accepted);
        await using var harness = ClientHarness.Create(server.BaseUrl);
        var clock = Stopwatch.StartNew();

        var result = await Send(harness);

        Assert.IsType<SendAccepted>(result);
        Assert.Equal(2, server.RequestsTo("sendTemplate").Count);
        // The base delay is 5 ms; waiting about a second shows Retry-After was honoured.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task Send_rate_limited_every_time_gives_up_after_the_allowed_retries()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", 429, """{"error":"Too many requests"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl, o => o.MaxRetries = 2);

        var result = await Send(harness);

        Assert.Equal(SendFailureKind.RateLimited, Assert.IsType<SendFailed>(result).Kind);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Send_to_a_closed_port_is_retried_then_transient()
    {
        await using var harness = ClientHarness.Create(ScriptedServer.ClosedPortUrl(), o => o.MaxRetries = 2);

        var result = await Send(harness);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.Transient, failed.Kind);
        Assert.True(failed.IsRetryable);
        Assert.Equal(3, harness.Attempts.Count);
    }

    [Fact]
    public async Task Get_is_retried_after_a_500()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("status", 500, """{"error":"Internal server error"}""");
        server.Enqueue("status", 200, """{"status":"connected"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var status = await harness.Client.GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.True(status.IsOk);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Get_that_keeps_timing_out_throws_a_transient_exception_after_the_retries()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("status", _ => new Scripted(200, """{"status":"connected"}""", Delay: TimeSpan.FromSeconds(5)));
        await using var harness = ClientHarness.Create(server.BaseUrl, o =>
        {
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        });

        var error = await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.GetStatusAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Post_other_than_a_send_is_not_retried_after_a_500()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("webhook", 500, """{"error":"Internal server error"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var error = await Assert.ThrowsAsync<OneMsgException>(() =>
            harness.Client.SetWebhookUrlsAsync(["https://otpgate.example/webhooks/1msg/s"], TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_result()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", _ => new Scripted(200, Samples.Accepted, Delay: TimeSpan.FromSeconds(5)));
        await using var harness = ClientHarness.Create(server.BaseUrl);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: cts.Token));
    }
}
