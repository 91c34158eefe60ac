using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>
/// The sandbox's scenario 12125550110: 1MSG answers <c>sent: false</c> with a <c>jobId</c> and sends the message later,
/// under a message id the engine never learns (1MSG has no job-to-message lookup).
/// </summary>
public sealed class QueuedByChannelTests
{
    private const string Queued = "+1 212 555 0110";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_send_the_channel_queues_is_provider_queued_never_sent_again_and_its_code_still_approves()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineAsync(sandbox, time);
        var id = await engine.StartVerificationAsync(Queued);

        await engine.Dispatcher.DispatchDueAsync(None);
        var queued = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

        Assert.Equal(VerificationStatus.Pending, queued.Status);
        Assert.Equal(SendStatus.ProviderQueued.ToWireName(), queued.DeliveryStatus);
        var send = Assert.Single(queued.Sends);
        Assert.Equal(SendStatus.ProviderQueued.ToWireName(), send.Status);
        Assert.Null(send.MessageId);
        Assert.Contains(queued.Timeline, t => t.Kind == TimelineEventKind.ProviderQueued.ToWireName());

        // The job leaves later and is read; every pass of the engine runs, and the acks 1MSG pushes for the message
        // arrive, under an id no send has.
        time.Advance(TimeSpan.FromSeconds(30));
        var message = await sandbox.Messages.WaitForMessageAsync("12125550110", m => m.Status == "read", TestContext.Current.CancellationToken);
        await engine.Dispatcher.DispatchDueAsync(None);
        await engine.Poller.PollDueAsync(None);
        await engine.IngestAsync(
            [.. message.Statuses.Select(s => new StatusEvent(message.Id, DeliveryStatusWords.Parse(s.Status), s.Status, s.At, message.Phone, null, null))],
            None);
        var after = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550110"));
        Assert.Equal(VerificationStatus.Pending, after.Status);
        Assert.Equal(SendStatus.ProviderQueued.ToWireName(), Assert.Single(after.Sends).Status);
        Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, message.Code!, None)).Succeeded);
    }
}
