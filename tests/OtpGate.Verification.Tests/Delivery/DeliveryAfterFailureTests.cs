using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Sandbox;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Delivery;

/// <summary>
/// A message reported failed can still reach another of the user's devices (seen in the field with multi-device
/// accounts): a later delivered or read brings a verification that failed on it back to pending, within the code's
/// lifetime, unless it ended some other way. The phone is one the sandbox only ever marks "sent", and the clock is
/// fake, so every later status here is the test's own.
/// </summary>
public sealed class DeliveryAfterFailureTests
{
    private const string Phone = "+1 212 555 0102";
    private static readonly CancellationToken None = CancellationToken.None;

    private static StatusEvent Status(string messageId, DeliveryStatus status) => status == DeliveryStatus.Failed
        ? new(messageId, status, "failed", null, null, "Message undeliverable", 131026)
        : new(messageId, status, status.ToString().ToLowerInvariant(), null, null, null, null);

    private static async Task<(SandboxServer Sandbox, Engine Engine)> StartAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var sandbox = await StartSandboxAsync(time);
        return (sandbox, await StartEngineAsync(sandbox, time));
    }

    /// <summary>Starts a verification and sends it: its id, the message id and the code the phone got.</summary>
    private static async Task<(string Id, string MessageId, string Code)> SentAsync(SandboxServer sandbox, Engine engine)
    {
        var id = await engine.StartVerificationAsync(Phone);
        engine.Time.Advance(TimeSpan.FromSeconds(1)); // past the dispatcher's pacing of the previous send, on the fake clock
        await engine.Dispatcher.DispatchDueAsync(None);
        return (id, await LatestMessageIdAsync(engine, id), sandbox.Messages.GetLatestMessage("12125550102")!.Code!);
    }

    private static async Task<string> LatestMessageIdAsync(Engine engine, string id) =>
        (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[^1].MessageId!;

    private static async Task<VerificationSnapshot> GetAsync(Engine engine, string id) => (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

    [Theory]
    [InlineData(DeliveryStatus.Delivered)]
    [InlineData(DeliveryStatus.Read)]
    public async Task A_delivery_after_the_failure_brings_the_verification_back_and_its_code_approves(DeliveryStatus later)
    {
        var (sandbox, engine) = await StartAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (id, messageId, code) = await SentAsync(sandbox, engine);

        await engine.IngestAsync([Status(messageId, DeliveryStatus.Failed)], None);
        Assert.Equal(VerificationStatus.Failed, (await GetAsync(engine, id)).Status);
        await engine.IngestAsync([Status(messageId, later)], None);
        var revived = await GetAsync(engine, id);
        var check = await engine.Verifications.CheckAsync(Engine.Owner, id, code, None);

        Assert.Equal(VerificationStatus.Pending, revived.Status);
        Assert.Null(revived.FailureReason);
        Assert.Equal(
            [("delivery", "failed"), ("failed", "failed"), ("delivery", later.ToString().ToLowerInvariant()), ("revived", "pending")],
            revived.Timeline.Where(t => t.Kind is "delivery" or "failed" or "revived").Select(t => (t.Kind, t.Status!)));
        Assert.True(check.Succeeded, check.Refusal?.Reason.ToString());
        Assert.Equal(VerificationStatus.Approved, check.Verification!.Status);
    }

    [Fact]
    public async Task A_delivery_after_the_codes_lifetime_leaves_it_failed_and_the_sweep_erases_the_kept_code()
    {
        var (sandbox, engine) = await StartAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (id, messageId, code) = await SentAsync(sandbox, engine);
        await engine.IngestAsync([Status(messageId, DeliveryStatus.Failed)], None);
        Assert.Equal(1L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications WHERE id = @id AND code_mac IS NOT NULL", new { id }));

        engine.Time.Advance(TimeSpan.FromMinutes(11));
        await engine.IngestAsync([Status(messageId, DeliveryStatus.Delivered)], None);
        await engine.Maintenance.SweepAsync(None);

        Assert.Equal(VerificationStatus.Failed, (await GetAsync(engine, id)).Status);
        Assert.Equal(Refusal.Failed, (await engine.Verifications.CheckAsync(Engine.Owner, id, code, None)).Refusal?.Reason);
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications WHERE id = @id AND (code_mac IS NOT NULL OR code_cipher IS NOT NULL)", new { id }));
    }

    [Fact]
    public async Task A_verification_that_ended_another_way_stays_ended()
    {
        var (sandbox, engine) = await StartAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (canceled, canceledMessage, _) = await SentAsync(sandbox, engine);
        await engine.Verifications.CancelAsync(Engine.Owner, canceled, None);
        var (approved, approvedMessage, code) = await SentAsync(sandbox, engine);
        await engine.Verifications.CheckAsync(Engine.Owner, approved, code, None);

        await engine.IngestAsync([Status(canceledMessage, DeliveryStatus.Failed), Status(approvedMessage, DeliveryStatus.Failed)], None);
        await engine.IngestAsync([Status(canceledMessage, DeliveryStatus.Delivered), Status(approvedMessage, DeliveryStatus.Read)], None);

        Assert.Equal(VerificationStatus.Canceled, (await GetAsync(engine, canceled)).Status);
        Assert.Equal(VerificationStatus.Approved, (await GetAsync(engine, approved)).Status);
        Assert.DoesNotContain((await GetAsync(engine, canceled)).Timeline, t => t.Kind == "revived");
    }

    [Fact]
    public async Task A_message_a_later_resend_replaced_does_not_revive_but_the_resent_one_does()
    {
        var (sandbox, engine) = await StartAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (id, first, _) = await SentAsync(sandbox, engine);
        engine.Time.Advance(TimeSpan.FromSeconds(31)); // past the resend cooldown
        Assert.True((await engine.Verifications.ResendAsync(Engine.Owner, id, None)).Succeeded);
        await engine.Dispatcher.DispatchDueAsync(None);
        var second = await LatestMessageIdAsync(engine, id);

        await engine.IngestAsync([Status(first, DeliveryStatus.Failed), Status(second, DeliveryStatus.Failed)], None);
        await engine.IngestAsync([Status(first, DeliveryStatus.Delivered)], None);
        var afterFirst = await GetAsync(engine, id);
        await engine.IngestAsync([Status(second, DeliveryStatus.Delivered)], None);

        Assert.Equal(VerificationStatus.Failed, afterFirst.Status);
        Assert.Equal(VerificationStatus.Pending, (await GetAsync(engine, id)).Status);
    }

    [Fact]
    public async Task A_verification_its_owner_started_again_meanwhile_stays_failed()
    {
        var (sandbox, engine) = await StartAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (id, messageId, _) = await SentAsync(sandbox, engine);
        await engine.IngestAsync([Status(messageId, DeliveryStatus.Failed)], None);
        var again = await engine.StartVerificationAsync(Phone);

        await engine.IngestAsync([Status(messageId, DeliveryStatus.Delivered)], None);

        Assert.Equal(VerificationStatus.Failed, (await GetAsync(engine, id)).Status);
        Assert.Equal(VerificationStatus.Pending, (await GetAsync(engine, again)).Status);
    }

    [Fact]
    public async Task Statuses_behind_the_send_are_recorded_and_counted_once_without_moving_it_back()
    {
        var (sandbox, engine) = await StartAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var meterFactory = engine.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var delivered = new MetricCollector<long>(meterFactory, VerificationMetrics.MeterName, "otpgate.messages.delivered");
        var (id, messageId, _) = await SentAsync(sandbox, engine);

        await engine.IngestAsync([Status(messageId, DeliveryStatus.Read)], None);
        await engine.IngestAsync([Status(messageId, DeliveryStatus.Delivered), Status(messageId, DeliveryStatus.Sent)], None);
        await engine.IngestAsync([Status(messageId, DeliveryStatus.Delivered)], None); // a duplicate: nothing more
        var verification = await GetAsync(engine, id);

        Assert.Equal("read", verification.DeliveryStatus);
        Assert.Equal(["read", "delivered", "sent"], verification.Timeline.Where(t => t.Kind == "delivery").Select(t => t.Status!));
        Assert.Equal(1, delivered.GetMeasurementSnapshot().EvaluateAsCounter());
    }
}
