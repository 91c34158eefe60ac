using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Flow;

/// <summary>The integrator's whole flow over HTTP, with the sandbox's webhook calls arriving at the server's receiver.</summary>
public sealed class CompleteFlowTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_then_webhook_statuses_then_check_approves()
    {
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();

        // sent, delivered and read arrive through POST /webhooks/1msg/{secret}, pushed by the sandbox.
        var read = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "read");
        var code = await server.ReadCodeAsync(phone);
        using var api = server.Api();
        var check = await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code }, Ct);
        var approved = (await check.Content.ReadFromJsonAsync<JsonObject>(Ct))!;

        Assert.Equal(["created", "send_queued", "accepted", "delivery", "delivery", "delivery"],
            read["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Where(k => k != "poll").Take(6));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        Assert.Equal("approved", approved["timeline"]!.AsArray()[^1]!["kind"]!.GetValue<string>());
        Assert.Contains(server.Logs.Entries, e => e.Text.StartsWith("Webhook received", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_sent_events_stream_each_change_until_approval()
    {
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        using var api = server.Api();
        using var stream = await api.GetStreamAsync($"/v1/verifications/{id}/events", Ct);
        using var reader = new StreamReader(stream);
        var events = new List<JsonObject>();
        var approver = Task.Run(async () =>
        {
            await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "read");
            using var checker = server.Api();
            (await checker.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = await server.ReadCodeAsync(phone) }, Ct)).EnsureSuccessStatusCode();
        }, Ct);

        string? eventName = null;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Equal("verification", eventName);
                events.Add(JsonNode.Parse(line[6..])!.AsObject());
            }
        }

        await approver;
        // Each event is the verification as it is when the stream reads it: changes that land together (delivered and
        // read 50 ms apart) may come as one event, but none is lost from the timeline, and the stream ends approved.
        var deliveries = events.Select(ServerFactory.Delivery).Distinct().ToList();
        var timeline = events[^1]["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "delivery").Select(e => e!["status"]!.GetValue<string>());
        Assert.Equal("pending", ServerFactory.Status(events[0]));
        Assert.Contains("read", deliveries);
        Assert.Equal(["sent", "delivered", "read"], timeline);
        Assert.Equal("approved", ServerFactory.Status(events[^1]));
        Assert.Equal(events.Count, events.Select(e => e.ToJsonString()).Distinct().Count()); // only changes are sent
    }

    [Fact]
    public async Task The_event_stream_of_an_unknown_verification_is_a_404_problem()
    {
        using var api = server.Api();
        var response = await api.GetAsync("/v1/verifications/vf_nope/events", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_event_stream_needs_an_api_key()
    {
        using var anonymous = server.Api(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/verifications/vf_nope/events", Ct)).StatusCode);
    }
}

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_ends_open_event_streams_instead_of_waiting_for_them()
    {
        var server = new CustomServer(null);
        await server.InitializeAsync();
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        using var api = server.Api();
        using var stream = await api.GetStreamAsync($"/v1/verifications/{id}/events", TestContext.Current.CancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {clock.Elapsed}.");
    }
}
