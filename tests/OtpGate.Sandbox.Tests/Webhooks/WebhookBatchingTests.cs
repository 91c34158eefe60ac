using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Webhooks;

/// <summary>
/// Batched and concurrent callbacks, to a real loopback receiver from a sandbox on a FakeTimeProvider:
/// statuses due at the same fake instant are ready together, and the receiver holds requests to keep
/// them in flight. Assertions are on counts and order, never on elapsed time.
/// </summary>
public sealed class WebhookBatchingTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static async Task SetWebhooksAsync(TestSandbox sandbox, params string[] urls) =>
        await sandbox.Api.PostRawAsync("webhook", new JsonObject { ["webhookUrl"] = new JsonArray([.. urls.Select(u => (JsonNode)u)]) }.ToJsonString());

    private static async Task<JsonNode> WebhookStatusAsync(TestSandbox sandbox) =>
        (await sandbox.Api.GetAsync("webhook")).Json["webhookStatuses"]![0]!;

    /// <summary>Sends one OTP to each of <paramref name="count"/> ordinary numbers (no scenario), at the same fake instant; returns the message ids in order.</summary>
    private static async Task<List<string>> SendManyAsync(TestSandbox sandbox, int count)
    {
        List<string> ids = [];
        for (var i = 0; i < count; i++)
        {
            ids.Add((await sandbox.Api.SendAsync(Requests.Otp($"1415555{i:D4}"))).Json["id"]!.GetValue<string>());
        }

        return ids;
    }

    [Fact]
    public async Task Events_ready_together_arrive_in_one_request()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));
        var ids = await SendManyAsync(sandbox, 10);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 10);

        var request = Assert.Single(receiver.At("hooks"));
        Assert.Equal(ids, request.Events.Select(e => e.Id));
        Assert.All(request.Events, e => Assert.Equal("sent", e.Status));
        Assert.Equal("sandbox", request.Body["instanceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_carries_at_most_the_configured_number_of_events()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o => o.WebhookMaxEventsPerRequest = 4);
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));
        var ids = await SendManyAsync(sandbox, 10);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 10);

        Assert.Equal([2, 4, 4], receiver.At("hooks").Select(r => r.Events.Count).Order());
        Assert.Equal(ids.Order(), receiver.Events("hooks").Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Raw_hooks_put_events_ready_together_in_one_meta_body()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("raw"));
        await sandbox.Api.PostRawAsync("settings", """{"rawHooks":true}""");
        var ids = await SendManyAsync(sandbox, 3);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("raw").Count == 3);

        var body = Assert.Single(receiver.At("raw")).Body;
        var change = Assert.Single(Assert.Single(body["entry"]!.AsArray())!["changes"]!.AsArray())!;
        var statuses = change["value"]!["statuses"]!.AsArray();
        Assert.Equal(ids, statuses.Select(s => s!["id"]!.GetValue<string>()));
        Assert.All(statuses, s => Assert.Equal("sent", s!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Each_message_s_statuses_arrive_in_order_with_many_requests_in_flight()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o =>
        {
            o.WebhookMaxEventsPerRequest = 5;
            o.WebhookTimeout = TimeSpan.FromHours(1);
        });
        // "held" keeps every request carrying a "sent" until released, so all 60 messages are in flight
        // when their delivered and read become due; "probe" answers at once and shows when the sandbox
        // has handed those out.
        await SetWebhooksAsync(sandbox, receiver.Url("held"), receiver.Url("probe"));
        receiver.HoldWhen = r => r.Path == "/held" && r.Events.Any(e => e.Status == "sent");
        var ids = await SendManyAsync(sandbox, 60);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Held == 12);
        sandbox.Time.Advance(Second);
        sandbox.Time.Advance(2 * Second);
        await Wait.UntilAsync(() => receiver.Events("probe").Count == 180);
        var heldBeforeRelease = receiver.Events("held").Select(e => e.Status).ToList();
        receiver.Release();
        await Wait.UntilAsync(() => receiver.Events("held").Count == 180);

        Assert.Equal(Enumerable.Repeat("sent", 60), heldBeforeRelease);
        Assert.True(receiver.MaxInFlight("held") >= 12, $"12 requests were in flight at once (max {receiver.MaxInFlight("held")})");
        var events = receiver.Events("held");
        foreach (var id in ids)
        {
            var mine = events.Where(e => e.Id == id).ToList();
            Assert.Equal(["sent", "delivered", "read"], mine.Select(e => e.Status));
            for (var k = 1; k < mine.Count; k++)
            {
                // In the same request (in array order), or sent after the receiver answered the previous one.
                Assert.True(
                    ReferenceEquals(mine[k].Request, mine[k - 1].Request) || mine[k].Request.Arrival > mine[k - 1].Request.Answered,
                    $"{id}: {mine[k].Status} arrived before {mine[k - 1].Status} was answered");
            }
        }
    }

    [Fact]
    public async Task A_held_answer_to_one_request_does_not_stop_the_others()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o =>
        {
            o.WebhookMaxEventsPerRequest = 1;
            o.WebhookMaxConcurrentRequests = 4;
            o.WebhookTimeout = TimeSpan.FromHours(1);
        });
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));
        var ids = await SendManyAsync(sandbox, 21);
        var slow = ids[0];
        receiver.HoldWhen = r => r.Events.Any(e => e.Id == slow);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("hooks").Count(e => e.Id != slow) == 20);
        var heldMeanwhile = receiver.Held;
        receiver.Release();

        Assert.Equal(1, heldMeanwhile);
        Assert.Single(receiver.Events("hooks"), e => e.Id == slow);
        Assert.Equal(21, receiver.At("hooks").Count);
    }

    [Fact]
    public async Task Requests_in_flight_to_one_url_are_bounded()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o =>
        {
            o.WebhookMaxEventsPerRequest = 1;
            o.WebhookMaxConcurrentRequests = 4;
            o.WebhookTimeout = TimeSpan.FromHours(1);
        });
        await SetWebhooksAsync(sandbox, receiver.Url("held"), receiver.Url("probe"));
        receiver.HoldWhen = r => r.Path == "/held";
        await SendManyAsync(sandbox, 20);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("probe").Count == 20 && receiver.Held >= 4);
        var arrivedWhileHeld = receiver.At("held").Count;
        receiver.Release();
        await Wait.UntilAsync(() => receiver.Events("held").Count == 20);

        Assert.Equal(4, arrivedWhileHeld);
        Assert.Equal(4, receiver.MaxInFlight("held"));
    }

    [Fact]
    public async Task Number_108_duplicates_and_disorder_reach_the_webhook_as_planned()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));
        await sandbox.Api.SendAsync(Requests.Otp("12125550108"));

        foreach (var (step, count) in new[] { (1, 1), (1, 4), (2, 5) })
        {
            sandbox.Time!.Advance(step * Second);
            await Wait.UntilAsync(() => receiver.Events("hooks").Count == count);
        }

        Assert.Equal(["sent", "read", "delivered", "sent", "delivered"], receiver.Events("hooks").Select(e => e.Status));
    }

    [Fact]
    public async Task A_failed_batch_is_retried_whole()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o =>
        {
            o.DeliveredAfter = o.ReadAfter = TimeSpan.FromHours(1);
            o.WebhookRetryDelays = [TimeSpan.FromMilliseconds(100)];
        });
        receiver.Respond = (_, attempt) => attempt == 1 ? 500 : 200;
        await SetWebhooksAsync(sandbox, receiver.Url("flaky"));
        await SendManyAsync(sandbox, 5);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() =>
        {
            // The retry is scheduled once the failure is back; step the clock until it goes out.
            sandbox.Time.Advance(TimeSpan.FromMilliseconds(100));
            return receiver.At("flaky").Count == 2;
        });

        var attempts = receiver.At("flaky").OrderBy(r => r.Arrival).ToList();
        Assert.Equal(5, attempts[0].Events.Count);
        Assert.Equal(attempts[0].Body.ToJsonString(), attempts[1].Body.ToJsonString());
        await Wait.UntilAsync(async () => (await WebhookStatusAsync(sandbox))["failures"]!.GetValue<int>() == 0);
    }

    [Fact]
    public async Task Failures_of_requests_still_in_flight_after_the_url_is_disabled_are_not_counted()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o =>
        {
            o.WebhookMaxEventsPerRequest = 1;
            o.WebhookDisableAfterFailures = 3;
            o.WebhookTimeout = TimeSpan.FromHours(1);
        });
        receiver.Respond = (_, _) => 503;
        receiver.HoldWhen = _ => true;
        await SetWebhooksAsync(sandbox, receiver.Url("down"));
        await SendManyAsync(sandbox, 10);

        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Held == 10);
        receiver.Release();
        await Wait.UntilAsync(() => receiver.At("down").All(r => r.Answered != long.MaxValue));
        await Wait.UntilAsync(async () => !(await WebhookStatusAsync(sandbox))["enabled"]!.GetValue<bool>());

        var status = await WebhookStatusAsync(sandbox);
        Assert.Equal(3, status["failures"]!.GetValue<int>());
        Assert.Equal("HTTP 503", status["lastError"]!.GetValue<string>());
        Assert.Equal(10, receiver.At("down").Count);
    }

    [Fact]
    public async Task Events_past_the_pending_bound_of_a_url_are_dropped()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o => o.WebhookMaxPendingEvents = 5);
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));
        var ids = await SendManyAsync(sandbox, 20);

        // The 20 sent events come in one pass: 5 are kept, 15 dropped. Once the delivered events of
        // the next pass are in, no dropped sent event can still be on its way.
        sandbox.Time!.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 5);
        sandbox.Time.Advance(Second);
        await Wait.UntilAsync(() => receiver.Events("hooks").Any(e => e.Status == "delivered"));

        Assert.Equal(5, receiver.Events("hooks").Count(e => e.Status == "sent"));
        Assert.All(ids, id => Assert.Equal(2, sandbox.Messages.FindMessage(id)!.Statuses.Count));
    }

    [Theory]
    [InlineData("WebhookMaxEventsPerRequest")]
    [InlineData("WebhookMaxConcurrentRequests")]
    [InlineData("WebhookMaxPendingEvents")]
    public async Task Batching_and_concurrency_bounds_must_be_at_least_one(string option)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => SandboxServer.StartAsync(
                o => typeof(SandboxOptions).GetProperty(option)!.SetValue(o, 0),
                cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(option, error.Message);
    }
}
