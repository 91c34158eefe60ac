using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Events.EventHarness;

namespace OtpGate.Verification.Tests.Events;

/// <summary>
/// Three engine instances on one PostgreSQL database deliver one set of events: each delivery by one instance, in
/// order per verification; a delivery whose instance stopped answering is taken over once its lease runs out.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class EventsAcrossInstancesTests
{
    /// <summary>Three instances; the first on a clock of its own when <paramref name="firstOnItsOwnClock"/> (one that stops, as if it had died).</summary>
    private static async Task<(Engine[] Instances, FakeTimeProvider Time, Func<Task> Drop)> StartThreeAsync(bool firstOnItsOwnClock = false)
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString,
            ["Events:Timeout"] = "00:00:10", ["Events:Lease"] = "00:00:30",
            ["Fraud:Enabled"] = "false", // a run of starts to one prefix in one fake minute is the fraud guard's to refuse (its own tests)
        };
        var instances = new Engine[3];
        for (var i = 0; i < instances.Length; i++)
        {
            instances[i] = await Engine.StartAsync(time: i == 0 && firstOnItsOwnClock ? new FakeTimeProvider(time.GetUtcNow()) : time, settings: settings);
        }

        return (instances, time, drop);
    }

    private static async Task StopAsync(Engine[] instances, Func<Task> drop)
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        await drop();
    }

    [Fact]
    public async Task Three_instances_deliver_every_event_once_and_in_order_per_verification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (instances, _, drop) = await StartThreeAsync();
        try
        {
            await instances[0].AddEndpointAsync("app", receiver);
            for (var i = 0; i < 3; i++)
            {
                await instances[i].StartAndApproveAsync(10, first: 10 * i);
            }

            for (var round = 0; round < 20 && receiver.Received.Count < 60; round++)
            {
                await Task.WhenAll(instances.Select(instance => Task.Run(() => instance.EventDispatcher().DispatchDueAsync(None))));
            }

            var events = await instances[0].EventsAsync();
            Assert.Equal(60, events.Count);
            Assert.Equal(events.Select(e => e.EventId).Order(), receiver.Received.Select(r => r.Id).Order()); // each exactly once
            Assert.All(receiver.Received, r => Assert.True(r.Verified));
            foreach (var verification in events.Select(e => e.VerificationId).Distinct())
            {
                Assert.Equal(["verification.started", "verification.approved"], receiver.Received.Where(r => r.VerificationId == verification).Select(r => r.Type));
            }
        }
        finally
        {
            await StopAsync(instances, drop);
        }
    }

    [Fact]
    public async Task A_delivery_whose_instance_stopped_is_taken_over_after_its_lease_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (instances, time, drop) = await StartThreeAsync(firstOnItsOwnClock: true);
        try
        {
            await instances[0].AddEndpointAsync("app", receiver);
            await instances[0].StartVerificationAsync();
            receiver.Mode = ReceiverMode.Hang; // instance 0's attempt never ends, and its clock stands still: as if it had died mid-request
            Assert.Equal(1, await instances[0].EventDispatcher().DispatchAvailableAsync(None));
            await receiver.WaitForCountAsync(1);
            receiver.Mode = ReceiverMode.Ok;

            time.Advance(TimeSpan.FromSeconds(29));
            Assert.Equal(0, await instances[1].EventDispatcher().DispatchDueAsync(None)); // still leased
            time.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(1, await instances[1].EventDispatcher().DispatchDueAsync(None));

            // Instance 0's attempt ends at last (its own timeout): the delivery is no longer its claim, so its failure changes nothing.
            instances[0].Time.Advance(TimeSpan.FromSeconds(10));
            await instances[0].EventDispatcher().WhenIdleAsync();
            Assert.Equal([0, 200], receiver.Received.Select(r => r.Answer));
            Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
            Assert.Equal(("delivered", 200L), (await instances[2].ScalarAsync<string>("SELECT state FROM event_deliveries"),
                await instances[2].ScalarAsync<long>("SELECT last_status FROM event_deliveries")));
            Assert.Equal(2, await instances[2].ScalarAsync<long>("SELECT COUNT(*) FROM event_attempts"));
        }
        finally
        {
            await StopAsync(instances, drop);
        }
    }
}
