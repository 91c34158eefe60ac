using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpGate.Verification.Events;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Events.EventHarness;

namespace OtpGate.Verification.Tests.Events;

/// <summary>
/// Delivery to real receivers on loopback, on the engine's fake clock: retries until a receiver recovers, in order per
/// verification and with the same webhook-id; 410 disables; a receiver that never answers holds only its own slots
/// and is disabled by the rule (no success for Events:DisableAfter). On SQLite, and on PostgreSQL in its pass.
/// </summary>
public sealed class DeliveryTests
{
    private static readonly Dictionary<string, string?> ShortSchedule = new()
    {
        // Short waits keep the fake clock within the 5 minutes the StandardWebhooks verifier allows from the wall clock.
        ["Events:RetrySchedule:0"] = "00:00:01", ["Events:RetrySchedule:1"] = "00:00:02", ["Events:RetrySchedule:2"] = "00:00:04",
        ["Events:RetrySchedule:3"] = "00:00:08", ["Events:RetrySchedule:4"] = "00:00:16",
    };

    [Fact]
    public async Task A_receiver_that_fails_hangs_and_recovers_gets_every_event_once_per_id_in_order_per_verification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync(ShortSchedule);
        await engine.AddEndpointAsync("app", receiver);
        var dispatcher = engine.EventDispatcher();
        await engine.StartAndApproveAsync(3);
        await engine.Verifications.CancelAsync(Engine.Owner, await engine.StartVerificationAsync("+1 212 555 0199"), None);

        receiver.Mode = ReceiverMode.Fail;
        var failed = await dispatcher.DispatchDueAsync(None);
        receiver.Mode = ReceiverMode.Hang;
        engine.Time.Advance(TimeSpan.FromSeconds(2));
        var hanging = await dispatcher.DispatchAvailableAsync(None);
        await receiver.WaitForCountAsync(failed + hanging);
        engine.Time.Advance(TimeSpan.FromSeconds(10)); // the attempts' timeout
        await dispatcher.WhenIdleAsync();
        receiver.Mode = ReceiverMode.Ok;
        for (var pass = 0; pass < 20 && await EventStoreOpenAsync(engine) > 0; pass++)
        {
            engine.Time.Advance(TimeSpan.FromSeconds(5));
            await dispatcher.DispatchDueAsync(None);
        }

        Assert.Equal((4, 2), (failed, hanging)); // the first event of each verification; then the 2 slots of the endpoint
        Assert.Equal(0, await EventStoreOpenAsync(engine));
        Assert.All(receiver.Received, r => Assert.True(r.Verified));
        var events = await engine.EventsAsync();
        var firstDelivered = receiver.Received.Where(r => r.Answer == 200).DistinctBy(r => r.Id).ToList();
        Assert.Equal(events.Select(e => e.EventId).Order(), firstDelivered.Select(r => r.Id).Order());
        foreach (var verification in events.Select(e => e.VerificationId).Distinct())
        {
            Assert.Equal(events.Where(e => e.VerificationId == verification).Select(e => e.EventId),
                firstDelivered.Where(r => r.VerificationId == verification).Select(r => r.Id));
        }
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_its_open_events_are_delivered_once_it_is_enabled_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync();
        using var disabled = new MetricCollector<long>(engine.Services.GetRequiredService<IMeterFactory>(), VerificationMetrics.MeterName, "otpgate.events.endpoints_disabled");
        await engine.AddEndpointAsync("app", receiver);
        var id = await engine.StartVerificationAsync();
        receiver.Mode = ReceiverMode.Gone;

        await engine.EventDispatcher().DispatchDueAsync(None);
        await engine.Verifications.CancelAsync(Engine.Owner, id, None);
        await engine.EventDispatcher().DispatchDueAsync(None);

        Assert.Equal("disabled", await engine.EndpointStateAsync("app"));
        Assert.Single(receiver.Received);
        Assert.Equal("gone", Assert.Single(disabled.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Contains(engine.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Event endpoint app is disabled: it answered 410 Gone", StringComparison.Ordinal));

        receiver.Mode = ReceiverMode.Ok;
        Assert.Equal(EndpointOutcome.Done, (await engine.Endpoints().EnableAsync("app", None)).Outcome);
        await engine.EventDispatcher().DispatchDueAsync(None);

        // The open delivery (started) resumes with its webhook-id; the cancel came while it was disabled: none was made.
        Assert.Equal(["verification.started", "verification.started"], receiver.Received.Select(r => r.Type));
        Assert.Equal(receiver.Received[0].Id, receiver.Received[1].Id);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_holds_only_its_own_slots_and_is_disabled_after_DisableAfter_without_success()
    {
        await using var dead = await WebhookReceiver.StartAsync();
        await using var live = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync(new() { ["Events:DisableAfter"] = "00:10:00" });
        await engine.AddEndpointAsync("dead", dead);
        await engine.AddEndpointAsync("live", live);
        dead.Mode = ReceiverMode.Hang;
        var dispatcher = engine.EventDispatcher();
        await engine.StartVerificationAsync("+1 212 555 0190");
        await engine.StartVerificationAsync("+1 212 555 0191");
        await dispatcher.DispatchAvailableAsync(None);
        await dead.WaitForCountAsync(2);

        // While the dead endpoint's two slots hang: ten starts and ten checks, and the live endpoint gets every event.
        var approved = await engine.StartAndApproveAsync(10);
        var events = await engine.EventsAsync();
        for (var pass = 0; pass < 30 && live.Received.Count < events.Count; pass++)
        {
            await dispatcher.DispatchAvailableAsync(None);
            await dispatcher.WhenIdleAsync("live");
        }

        Assert.Equal(10, approved.Count);
        Assert.Equal(events.Select(e => e.EventId).Order(), live.Received.Select(r => r.Id).Order());
        Assert.Equal(2, dead.Received.Count);
        Assert.Equal(2, dispatcher.InFlight);

        using var disabled = new MetricCollector<long>(engine.Services.GetRequiredService<IMeterFactory>(), VerificationMetrics.MeterName, "otpgate.events.endpoints_disabled");
        for (var round = 0; round < 40 && await engine.EndpointStateAsync("dead") == "enabled"; round++)
        {
            engine.Time.Advance(TimeSpan.FromSeconds(10)); // the attempts in flight time out
            await dispatcher.WhenIdleAsync("dead");
            engine.Time.Advance(TimeSpan.FromMinutes(1));
            var before = dead.Received.Count;
            var claimed = await dispatcher.DispatchAvailableAsync(None);
            await dead.WaitForCountAsync(before + claimed);
        }

        engine.Time.Advance(TimeSpan.FromSeconds(10));
        await dispatcher.WhenIdleAsync();
        Assert.Equal("disabled", await engine.EndpointStateAsync("dead"));
        Assert.Equal("failing", Assert.Single(disabled.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Contains(engine.Logs.Lines, l => l.Contains("Event endpoint dead is disabled: no delivery succeeded for 00:10:00", StringComparison.Ordinal));
        Assert.Equal("enabled", await engine.EndpointStateAsync("live"));
        var failingFor = await engine.ScalarAsync<long>("SELECT updated_at - failing_since FROM event_endpoints WHERE id = 'dead'");
        Assert.InRange(failingFor, (long)TimeSpan.FromMinutes(10).TotalMilliseconds, (long)TimeSpan.FromMinutes(12).TotalMilliseconds);
    }

    [Fact]
    public async Task Retries_follow_the_schedule_with_up_to_a_fifth_more_and_end_failed_when_it_is_spent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync(new() { ["Events:DisableAfter"] = "3.00:00:00" });
        await engine.AddEndpointAsync("app", receiver);
        receiver.Mode = ReceiverMode.Fail;
        await engine.StartVerificationAsync();
        var dispatcher = engine.EventDispatcher();
        var waits = new List<long>();
        await dispatcher.DispatchDueAsync(None);
        for (var attempt = 0; attempt < 20 && await EventStoreOpenAsync(engine) > 0; attempt++)
        {
            var due = await engine.ScalarAsync<long>("SELECT due_at FROM event_deliveries");
            var now = engine.Time.GetUtcNow().ToUnixTimeMilliseconds();
            waits.Add(due - now);
            engine.Time.Advance(TimeSpan.FromMilliseconds(due - now));
            await dispatcher.DispatchDueAsync(None);
        }

        Assert.Equal(EventOptions.DefaultRetrySchedule.Length, waits.Count);
        foreach (var (wait, planned) in waits.Zip(EventOptions.DefaultRetrySchedule))
        {
            Assert.InRange(wait, (long)planned.TotalMilliseconds, (long)(planned.TotalMilliseconds * 1.2));
        }

        Assert.True(TimeSpan.FromMilliseconds(waits.Sum()) > TimeSpan.FromDays(1));
        Assert.Equal(EventOptions.DefaultRetrySchedule.Length + 1, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
        Assert.Equal(("failed", 500L), (await engine.ScalarAsync<string>("SELECT state FROM event_deliveries"), await engine.ScalarAsync<long>("SELECT last_status FROM event_deliveries")));
        Assert.Equal(receiver.Received.Count, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM event_attempts"));
    }

    [Fact]
    public async Task A_second_pass_at_the_same_instant_sends_only_what_it_claimed_not_the_attempts_still_in_flight()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync(new() { ["Events:MaxConcurrencyPerEndpoint"] = "8" });
        await engine.AddEndpointAsync("app", receiver);
        receiver.Mode = ReceiverMode.Hang;
        var dispatcher = engine.EventDispatcher();
        await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.StartVerificationAsync("+1 212 555 0101");
        var first = await dispatcher.DispatchAvailableAsync(None);
        await receiver.WaitForCountAsync(first);
        await engine.StartVerificationAsync("+1 212 555 0102");

        var second = await dispatcher.DispatchAvailableAsync(None); // the same fake instant, so the same lease end
        await receiver.WaitForCountAsync(first + second);
        engine.Time.Advance(TimeSpan.FromSeconds(10));
        await dispatcher.WhenIdleAsync();

        Assert.Equal((2, 1), (first, second));
        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(3, receiver.Received.Select(r => r.Id).Distinct().Count());
    }

    private static Task<long> EventStoreOpenAsync(Engine engine) =>
        engine.ScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state IN ('pending', 'claimed')");
}
