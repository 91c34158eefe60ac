using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpGate.Sandbox;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Outbox;

public sealed class TelemetryAndTtlTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_message_ttl_is_the_code_lifetime_left_and_metrics_count_each_step()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var engine = await Engine.StartAsync(sandbox: sandbox, time: TimeProvider.System);
        var meterFactory = engine.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var started = new MetricCollector<long>(meterFactory, VerificationMetrics.MeterName, "otpgate.verifications.started");
        using var accepted = new MetricCollector<long>(meterFactory, VerificationMetrics.MeterName, "otpgate.messages.accepted");
        using var delivered = new MetricCollector<long>(meterFactory, VerificationMetrics.MeterName, "otpgate.messages.delivered");
        using var approved = new MetricCollector<long>(meterFactory, VerificationMetrics.MeterName, "otpgate.verifications.approved");

        var id = await engine.StartVerificationAsync();
        await engine.Dispatcher.DispatchDueAsync(None);
        var message = sandbox.Messages.GetLatestMessage("12125550100")!;
        var sendId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].MessageId!;
        await engine.IngestAsync([new(sendId, OneMsg.Webhooks.DeliveryStatus.Delivered, "delivered", null, null, null, null)], None);
        await engine.Verifications.CheckAsync(Engine.Owner, id, message.Code!, None);

        Assert.InRange(message.Ttl.TotalSeconds, 590, 600);
        Assert.Equal(1, started.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, accepted.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, delivered.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, approved.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task An_expiry_is_counted_once_when_it_commits_never_for_a_start_that_rolled_back()
    {
        await using var engine = await Engine.StartAsync(o =>
        {
            o.CodeLifetime = TimeSpan.FromMinutes(3);
            o.MaxStartsPerIpPer10Minutes = 1;
        });
        var meterFactory = engine.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var expired = new MetricCollector<long>(meterFactory, VerificationMetrics.MeterName, "otpgate.verifications.expired");
        var first = await engine.StartVerificationAsync(ip: "203.0.113.7");
        engine.Time.Advance(TimeSpan.FromMinutes(4));

        // This start expires the first in its transaction, then is refused by the address limit: nothing it did stays.
        var refused = await engine.Verifications.StartAsync(Engine.Owner, new("+1 212 555 0100", ClientIp: "203.0.113.7"), None);
        Assert.Equal(OtpGate.Verification.Verifications.Refusal.RateLimited, refused.Refusal?.Reason);
        Assert.Equal(0, expired.GetMeasurementSnapshot().EvaluateAsCounter());

        Assert.Equal(1, await engine.Maintenance.SweepAsync(None));
        Assert.Equal(1, expired.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(VerificationStatus.Expired, (await engine.Verifications.GetAsync(Engine.Owner, first, None))!.Status);
    }

    [Theory]
    [InlineData(600_000, 600)]
    [InlineData(1_200_000, 900)]
    [InlineData(45_000, 45)]
    [InlineData(10_000, 30)]
    public void The_ttl_is_the_lifetime_left_capped_at_900_seconds_and_at_least_30(long remainingMs, int expected)
    {
        var rules = new SendRules(new VerificationOptions { CodeLifetime = TimeSpan.FromMinutes(30) }, new Dictionary<string, string>(), 0);

        Assert.Equal(expected, rules.MessageTtlSeconds(remainingMs));
    }

    [Fact]
    public async Task A_temporary_whatsapp_limit_queues_one_resend_with_the_same_code()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var engine = await Engine.StartAsync(sandbox: sandbox, time: TimeProvider.System);
        var id = await engine.StartVerificationAsync();
        await engine.Dispatcher.DispatchDueAsync(None);
        var messageId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].MessageId!;

        await engine.IngestAsync([new(messageId, OneMsg.Webhooks.DeliveryStatus.Failed, "failed", null, null, "Pair rate limit hit", 131056)], None);
        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

        Assert.Equal(OtpGate.Verification.Contract.VerificationStatus.Pending, snapshot.Status);
        Assert.Equal(SendReason.DeliveryRetry.ToWireName(), snapshot.Sends[^1].Reason);
        Assert.Equal(SendStatus.Queued.ToWireName(), snapshot.Sends[^1].Status);
    }
}
