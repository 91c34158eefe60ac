using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Events;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Events.EventHarness;

namespace OtpGate.Verification.Tests.Events;

/// <summary>Seeing and replaying: events with their deliveries, attempts per event and per endpoint, replay, and the purge of old events.</summary>
public sealed class HistoryTests
{
    private static EventHistory History(Engine engine) => engine.Services.GetRequiredService<EventHistory>();

    [Fact]
    public async Task Attempts_are_listed_per_event_and_per_endpoint_with_their_status_latency_and_error()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync();
        await engine.AddEndpointAsync("app", receiver);
        var id = await engine.StartVerificationAsync();
        receiver.Mode = ReceiverMode.Fail;
        await engine.EventDispatcher().DispatchDueAsync(None);
        receiver.Mode = ReceiverMode.Ok;
        engine.Time.Advance(TimeSpan.FromSeconds(6));
        await engine.EventDispatcher().DispatchDueAsync(None);

        var started = Assert.Single(await History(engine).ListAsync(id, 10, None));
        var attempts = await History(engine).AttemptsAsync(started.EventId, null, 10, None);
        var toEndpoint = await History(engine).AttemptsAsync(null, "app", 10, None);

        Assert.Equal(("verification.started", "app", "delivered", 2), (started.Type, started.Deliveries[0].Endpoint, started.Deliveries[0].State, started.Deliveries[0].Tries));
        Assert.Equal([200, 500], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal([null, "answered 500"], attempts.Select(a => a.Error));
        Assert.All(attempts, a => Assert.True(a.LatencyMs >= 0));
        Assert.Equal(attempts, toEndpoint);
        Assert.Empty(await History(engine).AttemptsAsync(null, "other", 10, None));
    }

    [Fact]
    public async Task Replaying_one_event_delivers_it_again_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync();
        await engine.AddEndpointAsync("app", receiver);
        await engine.StartAndApproveAsync(1);
        await engine.EventDispatcher().DispatchDueAsync(None);
        var approved = (await engine.EventsAsync())[^1];

        Assert.Equal(1, await History(engine).ReplayAsync(approved.EventId, null, null, None));
        Assert.Equal(0, await History(engine).ReplayAsync(approved.EventId, null, null, None)); // still open: left as it is
        await engine.EventDispatcher().DispatchDueAsync(None);

        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal((approved.EventId, "verification.approved", true), (receiver.Received[^1].Id, receiver.Received[^1].Type, receiver.Received[^1].Verified));
    }

    [Fact]
    public async Task Replaying_since_a_time_reopens_given_up_deliveries_and_reaches_an_endpoint_added_since()
    {
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync(new() { ["Events:RetrySchedule:0"] = "00:00:01" });
        await engine.AddEndpointAsync("first", first);
        var before = engine.Time.GetUtcNow();
        await engine.StartAndApproveAsync(2);
        first.Mode = ReceiverMode.Fail;
        for (var pass = 0; pass < 4; pass++)
        {
            await engine.EventDispatcher().DispatchDueAsync(None);
            engine.Time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(4, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state = 'failed'"));
        first.Mode = ReceiverMode.Ok;
        await engine.AddEndpointAsync("second", second);

        Assert.Equal(8, await History(engine).ReplayAsync(null, before, null, None));
        await engine.EventDispatcher().DispatchDueAsync(None);
        await engine.EventDispatcher().DispatchDueAsync(None);

        var events = (await engine.EventsAsync()).Select(e => e.EventId).Order().ToList();
        Assert.Equal(events, first.Received.Where(r => r.Answer == 200).Select(r => r.Id).Order());
        Assert.Equal(events, second.Received.Select(r => r.Id).Order());
        Assert.Equal(0, await History(engine).ReplayAsync(null, engine.Time.GetUtcNow().AddSeconds(1), null, None));
    }

    [Fact]
    public async Task Events_past_the_retention_with_nothing_left_to_deliver_are_purged_with_their_deliveries_and_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync();
        await engine.AddEndpointAsync("app", receiver);
        await engine.StartAndApproveAsync(1);
        await engine.EventDispatcher().DispatchDueAsync(None);
        await engine.StartVerificationAsync("+1 212 555 0150"); // its started event stays open: never dispatched

        engine.Time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await engine.EventDispatcher().PurgeAsync(None));
        engine.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, await engine.EventDispatcher().PurgeAsync(None));

        Assert.Equal(["verification.started"], (await engine.EventsAsync()).Select(e => e.Type));
        Assert.Equal((1L, 0L), (await engine.ScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries"), await engine.ScalarAsync<long>("SELECT COUNT(*) FROM event_attempts")));
    }
}
