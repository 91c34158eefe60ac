using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Sandbox;
using OtpGate.Verification.Events;
using OtpGate.Verification.Services;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Events;

/// <summary>
/// Each transition of a verification writes exactly its event, in the transaction of the change (on SQLite, and on
/// PostgreSQL in the PostgreSQL pass), with a payload that carries the verification and never its code.
/// </summary>
public sealed class EventsRaisedTests
{
    private const string SentOnlyPhone = "+1 212 555 0102"; // a number the sandbox only ever marks "sent"
    private static readonly CancellationToken None = CancellationToken.None;

    internal static async Task<List<string>> TypesAsync(Engine engine, string verificationId)
    {
        await using var connection = await engine.Database.OpenAsync(None);
        return [.. await connection.QueryAsync<string>("SELECT type FROM events WHERE verification_id = @verificationId ORDER BY id", new { verificationId })];
    }

    internal static async Task<JsonElement> LastPayloadAsync(Engine engine, string verificationId) =>
        JsonDocument.Parse(await engine.ScalarAsync<string>(
            "SELECT payload FROM events WHERE verification_id = @verificationId ORDER BY id DESC LIMIT 1", new { verificationId })).RootElement;

    [Fact]
    public async Task A_start_writes_started_with_the_verification_and_no_code()
    {
        await using var engine = await Engine.StartAsync();
        var started = await engine.Verifications.StartAsync(Engine.Owner,
            new StartRequest("+1 212 555 0100", ClientRef: "order-7", Metadata: new Dictionary<string, string> { ["plan"] = "pro" }), None);
        var id = started.Verification!.Id;
        var code = await engine.ReadCodeAsync(id);

        Assert.Equal(["verification.started"], await TypesAsync(engine, id));
        var payload = await LastPayloadAsync(engine, id);
        var data = payload.GetProperty("data");
        Assert.Equal("verification.started", payload.GetProperty("type").GetString());
        Assert.Equal("2026-11-26T12:00:00.000Z", payload.GetProperty("timestamp").GetString());
        Assert.Equal((id, "default", "+12*******00", "order-7", "pro"),
            (data.GetProperty("id").GetString(), data.GetProperty("service").GetString(), data.GetProperty("phone").GetString(),
             data.GetProperty("clientRef").GetString(), data.GetProperty("metadata").GetProperty("plan").GetString()));
        Assert.Equal(("pending", "whatsapp", JsonValueKind.Null), (data.GetProperty("status").GetString(), data.GetProperty("channel").GetString(), data.GetProperty("failureReason").ValueKind));
        Assert.Equal(("2026-11-26T12:00:00.000Z", "2026-11-26T12:10:00.000Z"), (data.GetProperty("createdAt").GetString(), data.GetProperty("expiresAt").GetString()));
        Assert.DoesNotContain(code, payload.GetRawText().Replace("2026-11-26T12:", "", StringComparison.Ordinal));
        Assert.DoesNotContain("12125550100", payload.GetRawText());
        Assert.False(data.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Approving_writes_approved_and_nothing_else()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.WrongCodeAsync(id), None)).Refusal is not null);
        Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.ReadCodeAsync(id), None)).Succeeded);

        Assert.Equal(["verification.started", "verification.approved"], await TypesAsync(engine, id));
        Assert.Equal("approved", (await LastPayloadAsync(engine, id)).GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_last_wrong_code_writes_max_attempts_reached_once()
    {
        await using var engine = await Engine.StartAsync(o => o.MaxAttempts = 2);
        var id = await engine.StartVerificationAsync();
        for (var i = 0; i < 3; i++)
        {
            await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.WrongCodeAsync(id), None);
        }

        Assert.Equal(["verification.started", "verification.max_attempts_reached"], await TypesAsync(engine, id));
    }

    [Fact]
    public async Task Canceling_writes_canceled_once_and_expiry_writes_expired()
    {
        await using var engine = await Engine.StartAsync();
        var canceled = await engine.StartVerificationAsync("+1 212 555 0100");
        var expiring = await engine.StartVerificationAsync("+1 212 555 0101");
        await engine.Verifications.CancelAsync(Engine.Owner, canceled, None);
        await engine.Verifications.CancelAsync(Engine.Owner, canceled, None);
        engine.Time.Advance(TimeSpan.FromMinutes(11));
        await engine.Maintenance.SweepAsync(None);

        Assert.Equal(["verification.started", "verification.canceled"], await TypesAsync(engine, canceled));
        Assert.Equal(["verification.started", "verification.expired"], await TypesAsync(engine, expiring));
        Assert.Equal("expired", (await LastPayloadAsync(engine, expiring)).GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_send_writes_sent_and_each_first_delivered_and_read_their_own_event()
    {
        var (sandbox, engine) = await StartWithSandboxAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (id, messageId) = await SentAsync(engine);

        await engine.IngestAsync([Status(messageId, DeliveryStatus.Sent), Status(messageId, DeliveryStatus.Delivered)], None);
        await engine.IngestAsync([Status(messageId, DeliveryStatus.Delivered), Status(messageId, DeliveryStatus.Read)], None);

        Assert.Equal(["verification.started", "verification.sent", "verification.delivered", "verification.read"], await TypesAsync(engine, id));
        var data = (await LastPayloadAsync(engine, id)).GetProperty("data");
        Assert.Equal(("pending", "read"), (data.GetProperty("status").GetString(), data.GetProperty("deliveryStatus").GetString()));
    }

    [Fact]
    public async Task A_delivery_failure_writes_failed_with_its_reason()
    {
        var (sandbox, engine) = await StartWithSandboxAsync();
        await using var _ = sandbox;
        await using var __ = engine;
        var (id, messageId) = await SentAsync(engine);

        await engine.IngestAsync([Status(messageId, DeliveryStatus.Failed)], None);

        Assert.Equal(["verification.started", "verification.sent", "verification.failed"], await TypesAsync(engine, id));
        var data = (await LastPayloadAsync(engine, id)).GetProperty("data");
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("failureReason").GetString()));
    }

    [Fact]
    public async Task Deliveries_are_made_for_the_endpoints_of_the_service_and_types_only()
    {
        await using var engine = await Engine.StartAsync();
        Assert.NotNull(await engine.Services.GetRequiredService<ServiceCatalog>().CreateAsync("shop", "shop", new ServiceSettings(), None));
        var endpoints = engine.Services.GetRequiredService<EventEndpoints>();
        await endpoints.AddAsync("all", "http://127.0.0.1:9/all", null, null, null, None);
        await endpoints.AddAsync("shop-only", "http://127.0.0.1:9/shop", "shop", null, null, None);
        await endpoints.AddAsync("approvals", "http://127.0.0.1:9/approved", null, ["verification.approved"], null, None);

        var plain = await engine.StartVerificationAsync();
        var shop = (await engine.Verifications.StartAsync(VerificationOwner.ApiKey("app", "shop"), new StartRequest("+1 212 555 0101"), None)).Verification!.Id;
        await engine.Verifications.CheckAsync(Engine.Owner, plain, await engine.ReadCodeAsync(plain), None);

        await using var connection = await engine.Database.OpenAsync(None);
        var deliveries = (await connection.QueryAsync<(string Endpoint, string Verification, string Type)>("""
            SELECT d.endpoint_id, d.verification_id, e.type FROM event_deliveries d JOIN events e ON e.id = d.event_row ORDER BY d.id
            """)).ToList();
        Assert.Equal(
        [
            ("all", plain, "verification.started"),
            ("all", shop, "verification.started"), ("shop-only", shop, "verification.started"),
            ("all", plain, "verification.approved"), ("approvals", plain, "verification.approved"),
        ], deliveries);
    }

    private static StatusEvent Status(string messageId, DeliveryStatus status) => status == DeliveryStatus.Failed
        ? new(messageId, status, "failed", null, null, "Message undeliverable", 131026)
        : new(messageId, status, status.ToString().ToLowerInvariant(), null, null, null, null);

    private static async Task<(SandboxServer Sandbox, Engine Engine)> StartWithSandboxAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var sandbox = await StartSandboxAsync(time);
        return (sandbox, await StartEngineAsync(sandbox, time));
    }

    private static async Task<(string Id, string MessageId)> SentAsync(Engine engine)
    {
        var id = await engine.StartVerificationAsync(SentOnlyPhone);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.Dispatcher.DispatchDueAsync(None);
        return (id, (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[^1].MessageId!);
    }
}
