using OtpGate.Verification.Contract;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Sandbox;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>Each reserved sandbox number ends in the state the sandbox README implies (the simple ones are in <see cref="DispatchTests"/>).</summary>
public sealed class ScenarioTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_message_never_delivered_fails_when_its_ttl_runs_out()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineAsync(sandbox, time, o => o.MaxMessageTtl = TimeSpan.FromSeconds(60));
        var id = await engine.StartVerificationAsync("+1 212 555 0102");
        await engine.Dispatcher.DispatchDueAsync(None);
        Assert.Equal(60, sandbox.Messages.GetLatestMessage("12125550102")!.Ttl.TotalSeconds);

        time.Advance(TimeSpan.FromSeconds(61));
        await sandbox.Messages.WaitForMessageAsync("12125550102", m => m.Status == "failed", TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        await engine.Poller.PollDueAsync(None);

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(VerificationStatus.Failed, snapshot.Status);
        Assert.Equal(FailureReason.MessageExpired.ToWireName(), snapshot.FailureReason);
        Assert.Contains(snapshot.Timeline, t => t.Kind == "delivery" && t.Status == SendStatus.Sent.ToWireName());
    }

    [Fact]
    public async Task A_late_delivery_is_still_recorded()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox, TimeProvider.System);
        var id = await engine.StartVerificationAsync("+1 212 555 0103");

        var snapshot = await PollUntilAsync(engine, id, s => WireNames.ParseSendStatus(s.DeliveryStatus).IsDelivered());

        Assert.True(WireNames.ParseSendStatus(snapshot.DeliveryStatus).IsDelivered(), snapshot.DeliveryStatus);
        Assert.Equal(VerificationStatus.Pending, snapshot.Status);
    }

    [Fact]
    public async Task A_hanging_send_is_ambiguous_and_resent_once_with_the_same_code()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox, TimeProvider.System); // the client gives up after 2 s; the sandbox answers after 3 s
        var id = await engine.StartVerificationAsync("+1 212 555 0106");

        await engine.Dispatcher.DispatchDueAsync(None);
        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        var messages = sandbox.Messages.GetMessages("12125550106");

        Assert.Equal([SendReason.Start.ToWireName(), SendReason.AmbiguousRetry.ToWireName()], snapshot.Sends.Select(s => s.Reason));
        Assert.All(snapshot.Sends, s => Assert.Equal(SendStatus.Unknown.ToWireName(), s.Status));
        Assert.Equal(2, messages.Count); // the user got the code twice...
        Assert.Equal(messages[0].Code, messages[1].Code); // ...the same code
        Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, messages[0].Code!, None)).Succeeded);
    }

    [Fact]
    public async Task Duplicated_and_disordered_statuses_end_in_the_right_final_status()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox, TimeProvider.System);
        var id = await engine.StartVerificationAsync("+1 212 555 0108");
        await engine.Dispatcher.DispatchDueAsync(None);
        var messageId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].MessageId!;
        await sandbox.Messages.WaitForMessageAsync("12125550108", m => m.Statuses.Count >= 5, TestContext.Current.CancellationToken);

        // Feed the statuses exactly as the sandbox produced them: duplicated and out of order.
        foreach (var change in sandbox.Messages.FindMessage(messageId)!.Statuses)
        {
            await engine.IngestAsync([new(messageId, OneMsg.Webhooks.DeliveryStatusWords.Parse(change.Status), change.Status, change.At, "12125550108", null, null)], None);
        }

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(SendStatus.Read.ToWireName(), snapshot.DeliveryStatus);
        Assert.Equal(1, snapshot.Timeline.Count(t => t.Kind == "delivery" && t.Status == SendStatus.Read.ToWireName()));
    }

    [Fact]
    public async Task A_number_that_never_reads_stays_delivered()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox, TimeProvider.System);
        var id = await engine.StartVerificationAsync("+1 212 555 0109");

        var snapshot = await PollUntilAsync(engine, id, s => WireNames.ParseSendStatus(s.DeliveryStatus).IsDelivered());
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await engine.Poller.PollDueAsync(None);

        Assert.Equal(SendStatus.Delivered.ToWireName(), (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.DeliveryStatus);
        Assert.Equal(VerificationStatus.Pending, snapshot.Status);
    }
}
