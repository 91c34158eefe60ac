using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Delivery;

/// <summary>
/// With callbacks off (the engine here has no webhook receiver: the sandbox's statuses reach it only through
/// <c>hookInfo</c>), polling follows a delivered message on to read, so the funnel is whole either way.
/// </summary>
public sealed class PollingToReadTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Polling_goes_on_past_delivered_until_read_and_then_stops()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await StartSandboxAsync(time); // sent after 50 ms, delivered after 100 ms, read after 150 ms
        await using var engine = await StartEngineAsync(sandbox, time);
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.Dispatcher.DispatchDueAsync(None);

        time.Advance(TimeSpan.FromMilliseconds(120));
        await sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "delivered", TestContext.Current.CancellationToken);
        await engine.Poller.PollDueAsync(None);
        var delivered = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        time.Advance(TimeSpan.FromMilliseconds(60));
        await sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "read", TestContext.Current.CancellationToken);
        var polled = await engine.Poller.PollDueAsync(None);
        var read = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(SendStatus.Delivered.ToWireName(), delivered.DeliveryStatus);
        Assert.Equal(1, polled);
        Assert.Equal(SendStatus.Read.ToWireName(), read.DeliveryStatus);
        Assert.Equal(["sent", "delivered", "read"], read.Timeline.Where(t => t.Kind == "delivery").Select(t => t.Status!));
        Assert.Equal(0, await engine.Poller.PollDueAsync(None)); // read: nothing more to learn
    }
}
