using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Services;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Telemetry;

/// <summary>
/// The message and expiry metrics carry the service of their verification, learned by the dispatcher, the delivery
/// intake and the expiry sweep from the statements they already run.
/// </summary>
public sealed class ServiceMetricsTests
{
    private static CancellationToken None => CancellationToken.None;

    private static readonly VerificationOwner Shop = VerificationOwner.ApiKey("app", "shop");

    private static readonly string[] Instruments =
    [
        "otpgate.messages.accepted", "otpgate.messages.delivered", "otpgate.messages.read", "otpgate.messages.failed", "otpgate.verifications.expired",
    ];

    [Fact]
    public async Task Sends_deliveries_reads_failures_and_expiries_are_counted_under_their_service()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineOnFakeClockAsync(sandbox, time);
        Assert.NotNull(await engine.Services.GetRequiredService<ServiceCatalog>().CreateAsync("shop", "Shop", new ServiceSettings(), None));
        var meters = engine.Services.GetRequiredService<IMeterFactory>();
        var counters = Instruments.ToDictionary(name => name, name => new MetricCollector<long>(meters, VerificationMetrics.MeterName, name));
        using var timeToDeliver = new MetricCollector<double>(meters, VerificationMetrics.MeterName, "otpgate.time_to_deliver");

        var delivered = await StartAsync(engine, "+1 212 555 0120");
        var failedOnTheWay = await StartAsync(engine, "+1 212 555 0121");
        await StartAsync(engine, "+1 212 555 0107"); // refused by 1MSG at the send: failed by the dispatcher
        await engine.Dispatcher.DispatchDueAsync(None);
        await engine.IngestAsync([
            Status(await MessageIdAsync(engine, delivered), DeliveryStatus.Delivered),
            Status(await MessageIdAsync(engine, delivered), DeliveryStatus.Read),
            Status(await MessageIdAsync(engine, failedOnTheWay), DeliveryStatus.Failed) with { ErrorText = "Message undeliverable", ErrorCode = 131026 },
        ], None);
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await engine.Maintenance.SweepAsync(None)); // the delivered one; the others had failed

        foreach (var (name, collector) in counters)
        {
            var measurements = collector.GetMeasurementSnapshot();
            Assert.True(measurements.Count > 0, $"{name} was not counted");
            Assert.All(measurements, m => Assert.Equal("shop", m.Tags["service"]));
        }

        Assert.Equal(2, counters["otpgate.messages.accepted"].GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, counters["otpgate.messages.failed"].GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("shop", Assert.Single(timeToDeliver.GetMeasurementSnapshot()).Tags["service"]);
        foreach (var collector in counters.Values)
        {
            collector.Dispose();
        }
    }

    [Fact]
    public async Task A_verification_found_expired_by_a_check_is_counted_under_its_service()
    {
        await using var engine = await Engine.StartAsync();
        Assert.NotNull(await engine.Services.GetRequiredService<ServiceCatalog>().CreateAsync("shop", "Shop", new ServiceSettings(), None));
        using var expired = new MetricCollector<long>(engine.Services.GetRequiredService<IMeterFactory>(), VerificationMetrics.MeterName, "otpgate.verifications.expired");
        var id = await StartAsync(engine, "+1 212 555 0120");
        engine.Time.Advance(TimeSpan.FromMinutes(11));

        await engine.Verifications.CheckAsync(Shop, id, "000000", None);

        Assert.Equal("shop", Assert.Single(expired.GetMeasurementSnapshot()).Tags["service"]);
    }

    private static async Task<string> StartAsync(Engine engine, string phone)
    {
        var result = await engine.Verifications.StartAsync(Shop, new StartRequest(phone), None);
        Assert.Null(result.Refusal);
        return result.Verification!.Id;
    }

    private static async Task<string> MessageIdAsync(Engine engine, string id) =>
        (await engine.Verifications.GetAsync(Shop, id, None))!.Sends[0].MessageId!;

    private static StatusEvent Status(string messageId, DeliveryStatus status) =>
        new(messageId, status, status.ToString().ToLowerInvariant(), null, null, null, null);
}
