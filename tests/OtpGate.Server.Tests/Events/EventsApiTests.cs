using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Events;

/// <summary>A server with an admin key, a service key, and an endpoint declared in configuration pointing at a real receiver.</summary>
public sealed class EventsServer : ServerFactory
{
    public const string AdminKey = "key-admin-0123456789abcdefghij";
    public const string ShopKey = "key-shop-0123456789abcdefghij";
    public const string ConfiguredSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public EventsServer()
        : this(WebhookReceiver.StartAsync(ConfiguredSecret).GetAwaiter().GetResult())
    {
    }

    private EventsServer(WebhookReceiver receiver)
        : base(new Dictionary<string, string?>
        {
            ["Services:shop:FriendlyName"] = "Shop",
            ["Api:ServiceKeys:shop-app:Service"] = "shop",
            ["Api:ServiceKeys:shop-app:Key"] = ShopKey,
            ["Api:AdminKeys:ops"] = AdminKey,
            ["Events:Endpoints:app:Url"] = receiver.Url.ToString(),
            ["Events:Endpoints:app:Secret"] = ConfiguredSecret,
            ["Events:Endpoints:app:Types"] = "verification.started,verification.approved",
        }) => Receiver = receiver;

    public WebhookReceiver Receiver { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary><c>/v1/events/endpoints</c> with an admin key, and events from the running server to a configured endpoint.</summary>
public sealed class EventsApiTests(EventsServer server) : IClassFixture<EventsServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_start_and_its_approval_reach_the_configured_endpoint_signed()
    {
        var before = server.Receiver.Received.Count;
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        using var api = server.Api();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = await server.ReadCodeAsync(phone) }, Ct)).StatusCode);

        await server.Receiver.WaitForCountAsync(before + 2);
        var mine = server.Receiver.Received.Where(r => r.VerificationId == id).ToList();
        Assert.Equal(["verification.started", "verification.approved"], mine.Select(r => r.Type));
        Assert.All(mine, r => Assert.True(r.Verified));
    }

    [Fact]
    public async Task Events_with_their_deliveries_attempts_and_a_replay_through_the_api()
    {
        using var admin = server.Api(EventsServer.AdminKey);
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        JsonObject started = [];
        for (var poll = 0; poll < 200; poll++) // until the dispatcher recorded the delivery (a guard, not a timing)
        {
            // Its code is sent meanwhile (sent, delivered and read follow): the started event is the one to look at.
            started = (await admin.GetFromJsonAsync<JsonArray>($"/v1/events?verificationId={id}", Ct))!
                .Single(e => e!["type"]!.GetValue<string>() == "verification.started")!.AsObject();
            if (AppDelivery(started)?["state"]?.GetValue<string>() == "delivered")
            {
                break;
            }

            await Task.Delay(50, Ct);
        }

        var eventId = started["eventId"]!.GetValue<string>();
        Assert.Equal(("verification.started", "delivered"), (started["type"]!.GetValue<string>(), AppDelivery(started)!["state"]!.GetValue<string>()));
        var attempt = (await admin.GetFromJsonAsync<JsonArray>($"/v1/events/{eventId}/attempts", Ct))!.Single(a => a!["endpoint"]!.GetValue<string>() == "app")!;
        Assert.Equal((200, "app"), (attempt["statusCode"]!.GetValue<int>(), attempt["endpoint"]!.GetValue<string>()));
        Assert.Contains(eventId, await admin.GetStringAsync("/v1/events/endpoints/app/attempts", Ct), StringComparison.Ordinal);
        Assert.Equal("[]", await admin.GetStringAsync("/v1/events/msg_unknown/attempts", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/events/endpoints/none/attempts", Ct)).StatusCode);

        var before = server.Receiver.Received.Count;
        var replay = await admin.PostAsJsonAsync("/v1/events/replay", new { eventId, endpoint = "app" }, Ct);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonObject>(Ct))!["queued"]!.GetValue<int>());
        await server.Receiver.WaitForCountAsync(before + 1);
        Assert.Equal(2, server.Receiver.Received.Count(r => r.Id == eventId));
        var neither = await admin.PostAsJsonAsync("/v1/events/replay", new { }, Ct);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (neither.StatusCode, (await ServerFactory.ProblemAsync(neither))["code"]!.GetValue<string>()));
    }

    // Other tests of the class add endpoints of their own: this one looks at the configured one's delivery.
    private static JsonNode? AppDelivery(JsonObject summary) =>
        summary["deliveries"]!.AsArray().SingleOrDefault(d => d!["endpoint"]!.GetValue<string>() == "app");

    [Fact]
    public async Task An_admin_key_adds_lists_shows_rotates_enables_and_removes_an_endpoint()
    {
        using var admin = server.Api(EventsServer.AdminKey);
        var added = await admin.PostAsJsonAsync("/v1/events/endpoints", new { id = "crm", url = "https://crm.example/hooks", service = "shop", types = new[] { "verification.failed" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var body = (await added.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        var secret = body["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(("shop", "enabled", "api"), (body["service"]!.GetValue<string>(), body["state"]!.GetValue<string>(), body["source"]!.GetValue<string>()));

        var list = await admin.GetStringAsync("/v1/events/endpoints", Ct);
        Assert.Contains("\"crm\"", list, StringComparison.Ordinal);
        Assert.Contains("\"app\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", list, StringComparison.Ordinal);
        Assert.Null((await admin.GetFromJsonAsync<JsonObject>("/v1/events/endpoints/crm", Ct))!["secret"]);

        var rotated = (await (await admin.PostAsync("/v1/events/endpoints/crm/rotate-secret", null, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.NotEqual(secret, rotated["secret"]!.GetValue<string>());
        Assert.NotNull(rotated["previousSecretUntil"]);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/events/endpoints/crm/enable", null, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/events/endpoints/crm", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/events/endpoints/crm", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_configured_endpoint_is_listed_but_changed_only_in_configuration()
    {
        using var admin = server.Api(EventsServer.AdminKey);
        var app = (await admin.GetFromJsonAsync<JsonObject>("/v1/events/endpoints/app", Ct))!;
        Assert.Equal("configuration", app["source"]!.GetValue<string>());
        Assert.Equal(["verification.approved", "verification.started"], app["types"]!.AsArray().Select(t => t!.GetValue<string>()));

        foreach (var response in new[] { await admin.DeleteAsync("/v1/events/endpoints/app", Ct), await admin.PostAsync("/v1/events/endpoints/app/rotate-secret", null, Ct) })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("endpoint_configured", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("{\"id\":\"Bad Id\",\"url\":\"https://x.example\"}", "endpoint id")]
    [InlineData("{\"id\":\"x1\",\"url\":\"ftp://x.example\"}", "absolute http or https URL")]
    [InlineData("{\"id\":\"x2\",\"url\":\"https://user:pw@x.example\"}", "without credentials")]
    [InlineData("{\"id\":\"x3\",\"url\":\"https://x.example\",\"types\":[\"verification.done\"]}", "event type \"verification.done\" is unknown")]
    [InlineData("{\"id\":\"x4\",\"url\":\"https://x.example\",\"secret\":\"plain\"}", "secret must be")]
    [InlineData("{\"id\":\"x5\",\"url\":\"https://x.example\",\"service\":\"nowhere\"}", "No service is named \"nowhere\"")]
    public async Task Bad_input_is_a_400_that_says_what_is_wrong(string json, string detail)
    {
        using var admin = server.Api(EventsServer.AdminKey);
        var response = await admin.PostAsync("/v1/events/endpoints", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ServerFactory.ProblemAsync(response);
        Assert.Equal("invalid_request", problem["code"]!.GetValue<string>());
        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_id_is_409_and_keys_that_are_not_admin_keys_are_403()
    {
        using var admin = server.Api(EventsServer.AdminKey);
        var body = new { id = "twice", url = "https://x.example/hooks" };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/events/endpoints", body, Ct)).StatusCode);
        var again = await admin.PostAsJsonAsync("/v1/events/endpoints", body, Ct);
        Assert.Equal((HttpStatusCode.Conflict, "endpoint_exists"), (again.StatusCode, (await ServerFactory.ProblemAsync(again))["code"]!.GetValue<string>()));

        foreach (var key in new[] { ServerFactory.ApiKey, EventsServer.ShopKey })
        {
            using var client = server.Api(key);
            var response = await client.GetAsync("/v1/events/endpoints", Ct);
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (response.StatusCode, (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>()));
        }
    }
}
